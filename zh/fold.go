package zh

import (
	"fmt"
	"strings"
	"sync"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/width"
)

// Folder folds the many ways people type Chinese into one: traditional
// characters to simplified, full-width letters and digits to ASCII.
type Folder struct {
	t2s *opencc.OpenCC
}

// NewFolder returns a folder. The traditional-to-simplified tables are
// loaded once per process and shared: they never change, and retrieval,
// the dialogue and the verifier each fold text.
func NewFolder() (*Folder, error) {
	return sharedFolder()
}

var sharedFolder = sync.OnceValues(func() (*Folder, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, fmt.Errorf("load traditional-to-simplified tables: %w", err)
	}
	return &Folder{t2s: cc}, nil
})

// Fold returns s in simplified characters, with full-width ASCII forms
// narrowed and letters in lower case.
func (f *Folder) Fold(s string) string {
	s = Narrow(s)
	if hasHan(s) {
		if out, err := f.t2s.Convert(s); err == nil {
			s = out
		}
	}
	return strings.ToLower(s)
}

// Narrow turns full-width ASCII variants (１２３, ＡＢＣ, ％, ＠, ，) into
// ASCII and the ideographic space into a space; 。 and 、 have no ASCII form
// and stay.
func Narrow(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			return []rune(width.Narrow.String(string(r)))[0]
		}
		if r == 0x3000 { // ideographic space
			return ' '
		}
		return r
	}, s)
}

func hasHan(s string) bool {
	for _, r := range s {
		if IsHan(r) {
			return true
		}
	}
	return false
}
