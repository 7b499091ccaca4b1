package kb

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// Names of the corpus files shared by all notices.
const (
	VocabularyFile = "vocabulary.yaml"
	noticeSuffix   = ".txt"
	metaSuffix     = ".meta.yaml"
)

// Corpus is every notice of a corpus folder, parsed.
type Corpus struct {
	Docs       []*Document
	Vocabulary *Vocabulary
	Facts      *FactSchema          // nil when the corpus has no facts.yaml
	Rules      map[string]*RuleSet  // benefit rules by notice id; a notice may have none
	Currency   map[string]*Registry // later documents by notice id; a notice may have none
	Hash       string               // changes whenever any corpus file changes
	FS         fs.FS                // the files it was read from, for the layers above
}

// Load reads a corpus folder: each notice <id>.txt with its <id>.meta.yaml
// and, when present, its benefit rules <id>.rules.yaml and its registry of
// later documents <id>.currency.yaml; the shared vocabulary and fact schema.
func Load(fsys fs.FS) (*Corpus, error) {
	vocabData, err := fs.ReadFile(fsys, VocabularyFile)
	if err != nil {
		return nil, fmt.Errorf("load corpus: %w", err)
	}
	vocab, err := ParseVocabulary(vocabData)
	if err != nil {
		return nil, fmt.Errorf("load corpus: %w", err)
	}
	names, err := fs.Glob(fsys, "*"+noticeSuffix)
	if err != nil {
		return nil, fmt.Errorf("load corpus: %w", err)
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("load corpus: no notices (*.txt)")
	}
	c := &Corpus{Vocabulary: vocab, FS: fsys}
	for _, name := range names {
		doc, err := loadNotice(fsys, name, vocab)
		if err != nil {
			return nil, fmt.Errorf("load corpus: %w", err)
		}
		c.Docs = append(c.Docs, doc)
	}
	if err := c.loadRules(fsys); err != nil {
		return nil, fmt.Errorf("load corpus: %w", err)
	}
	if err := c.loadCurrency(fsys); err != nil {
		return nil, fmt.Errorf("load corpus: %w", err)
	}
	if c.Hash, err = hashFS(fsys); err != nil {
		return nil, fmt.Errorf("load corpus: %w", err)
	}
	return c, nil
}

func loadNotice(fsys fs.FS, name string, vocab *Vocabulary) (*Document, error) {
	id := strings.TrimSuffix(path.Base(name), noticeSuffix)
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read notice %s: %w", id, err)
	}
	metaData, err := fs.ReadFile(fsys, id+metaSuffix)
	if err != nil {
		return nil, fmt.Errorf("notice %s has no metadata: %w", id, err)
	}
	meta, err := ParseMeta(metaData)
	if err != nil {
		return nil, fmt.Errorf("notice %s: %w", id, err)
	}
	if meta.ID != id {
		return nil, fmt.Errorf("notice %s: metadata names id %q", id, meta.ID)
	}
	doc, err := Parse(id, string(raw), vocab)
	if err != nil {
		return nil, err
	}
	if err := meta.apply(doc); err != nil {
		return nil, fmt.Errorf("notice %s: %w", id, err)
	}
	return doc, nil
}

// Doc returns the document with the given id, or nil.
func (c *Corpus) Doc(id string) *Document {
	for _, d := range c.Docs {
		if d.ID == id {
			return d
		}
	}
	return nil
}

// Clause returns a clause by reference, or nil.
func (c *Corpus) Clause(ref ClauseRef) *Clause {
	if d := c.Doc(ref.Doc); d != nil {
		return d.Clause(ref.Clause)
	}
	return nil
}

// hashFS hashes every file of the corpus, names and contents, in name order.
func hashFS(fsys fs.FS) (string, error) {
	var names []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			names = append(names, p)
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash corpus: %w", err)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return "", fmt.Errorf("hash corpus: %w", err)
		}
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(data))
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
