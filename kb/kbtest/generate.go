// Package kbtest makes corpora for tests and benchmarks.
package kbtest

import (
	"fmt"
	"io/fs"
	"strings"
	"testing/fstest"

	"policybot/kb"
)

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八"}

// Generate returns a corpus of n notices made from the notices of base:
// each keeps the structure (three parts of six clauses) and mixes the real
// clauses' titles and sentences, so the index grows as a real collection
// of notices would. The shared tables come from base.
func Generate(base fs.FS, n int) (fs.FS, error) {
	real, err := kb.Load(base)
	if err != nil {
		return nil, err
	}
	var clauses []*kb.Clause
	for _, d := range real.Docs {
		clauses = append(clauses, d.Clauses()...)
	}
	files := fstest.MapFS{}
	err = fs.WalkDir(base, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".txt") || strings.HasSuffix(p, ".meta.yaml") || strings.HasSuffix(p, ".rules.yaml") {
			return err
		}
		data, err := fs.ReadFile(base, p)
		files[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		return nil, err
	}
	for i := range n {
		id := fmt.Sprintf("gen-%04d", i)
		files[id+".txt"] = &fstest.MapFile{Data: []byte(notice(i, clauses))}
		files[id+".meta.yaml"] = &fstest.MapFile{Data: []byte("id: " + id + "\n")}
	}
	return files, nil
}

func notice(i int, clauses []*kb.Clause) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "重庆市第%d区人力资源和社会保障局关于就业工作若干措施的通知\n\n", i)
	for p := range 3 {
		fmt.Fprintf(&sb, "%s、第%d部分\n\n", numerals[p], p+1)
		for k := range 6 {
			src := clauses[(i*7+p*6+k)%len(clauses)]
			fmt.Fprintf(&sb, "（%s）%s。", numerals[p*6+k], src.Title)
			for j := range src.Sentences {
				other := clauses[(i+j+k)%len(clauses)]
				sb.WriteString(other.Sentences[j%len(other.Sentences)].Text)
			}
			sb.WriteString("\n\n")
		}
	}
	fmt.Fprintf(&sb, " 2023年%d月%d日\n", i%12+1, i%28+1)
	return sb.String()
}
