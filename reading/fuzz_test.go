package reading_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"policybot/reading"
)

// FuzzRead reads any text as a first message and as a reply to each kind
// of question: it must never panic, and every fact it reads must be one of
// the schema's, with a value the schema accepts (go test ./reading -fuzz
// FuzzRead).
func FuzzRead(f *testing.F) {
	for _, s := range []string{
		"我们是一家50人的小型企业，今年招了3个应届高校毕业生，都已经稳定工作7个月了，没有招脱贫人口和残疾人。",
		"当兵？没当过", "？？？", "是的！👍", "没残疾证 但是是退伍军人 想问下创业贷款", "我1975年出生的，女",
		"工资没拖欠，歧视也没遇到过", "I'm not a courier, I drive for Didi.", "\xff\xfe不是", "",
		"不是没有不是", "1999999999999999999999年出生", "第99999999999999999999个",
	} {
		f.Add(s)
	}
	r := newReader(f)
	schema := r.Schema()
	pendings := []string{"", "veteran", "staff_count", "enterprise_size", "migrant_worker", "labour_dispute", "ui_months", "age"}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || len(s) > 4096 {
			return // the channels refuse these before reading
		}
		for _, p := range pendings {
			got := r.Read(context.Background(), s, reading.Context{Pending: p, Today: today})
			for _, fact := range got.Facts {
				def := schema.Fact(fact.Key)
				if def == nil {
					t.Fatalf("%q (pending %q): fact %q not in the schema", s, p, fact.Key)
				}
				if _, err := def.Normalize(fact.Value); err != nil {
					t.Fatalf("%q (pending %q): %s = %v: %v", s, p, fact.Key, fact.Value, err)
				}
			}
		}
	})
}
