// Package corpus holds policybot's data: the published notices, their
// metadata and benefit rules, and the vocabulary, synonym and scope tables
// the layers above read. It is embedded so the binary runs from any folder.
package corpus

import (
	"embed"
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
)

//go:embed *.txt *.yaml *.tsv *.dict
var files embed.FS

// Embedded returns the corpus built into the binary.
func Embedded() fs.FS { return files }

// Open returns the corpus to use: the embedded one when dir is empty;
// otherwise the notices of dir, with any shared table (vocabulary, synonyms,
// facts …) that dir lacks taken from the embedded corpus, so a folder of
// notices alone is enough.
func Open(dir string) (fs.FS, error) {
	if dir == "" {
		return files, nil
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, &fs.PathError{Op: "open corpus", Path: dir, Err: errors.New("not a directory")}
	}
	return overlay{top: os.DirFS(dir), base: files}, nil
}

// overlay serves notices only from top, and shared tables from top if there,
// else from base.
type overlay struct{ top, base fs.FS }

// isNoticeFile reports whether name belongs to one notice rather than to the
// shared tables: <id>.txt, <id>.meta.yaml, <id>.rules.yaml,
// <id>.currency.yaml.
func isNoticeFile(name string) bool {
	return strings.HasSuffix(name, ".txt") || strings.HasSuffix(name, ".meta.yaml") ||
		strings.HasSuffix(name, ".rules.yaml") || strings.HasSuffix(name, ".currency.yaml")
}

func (o overlay) Open(name string) (fs.File, error) {
	if name == "." {
		return o.top.Open(name)
	}
	f, err := o.top.Open(name)
	if err == nil || isNoticeFile(name) || !errors.Is(err, fs.ErrNotExist) {
		return f, err
	}
	return o.base.Open(name)
}

// ReadDir lists the notices of top and the shared tables of both.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	top, err := fs.ReadDir(o.top, name)
	if err != nil {
		return nil, err
	}
	if name != "." {
		return top, nil
	}
	seen := map[string]bool{}
	for _, e := range top {
		seen[e.Name()] = true
	}
	base, err := fs.ReadDir(o.base, name)
	if err != nil {
		return nil, err
	}
	out := top
	for _, e := range base {
		if !seen[e.Name()] && !isNoticeFile(path.Base(e.Name())) {
			out = append(out, e)
		}
	}
	return out, nil
}
