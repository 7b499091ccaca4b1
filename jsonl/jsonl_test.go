package jsonl_test

import (
	"strings"
	"testing"

	"policybot/jsonl"
)

type item struct {
	Q string `json:"q"`
	N int    `json:"n"`
}

func TestRead(t *testing.T) {
	got, err := jsonl.Read[item](strings.NewReader("{\"q\": \"a\", \"n\": 1}\n\n  \n{\"q\": \"b\"}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != (item{"a", 1}) || got[1] != (item{"b", 0}) {
		t.Errorf("got %+v", got)
	}
}

func TestReadRejects(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"{\"q\": \"a\"}\n{\"qq\": \"misspelt\"}\n", "line 2"},
		{"{\"q\": \"a\"}\nnot json\n", "line 2"},
		{"{\"n\": \"one\"}\n", "line 1"},
	} {
		_, err := jsonl.Read[item](strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Read(%q) error = %v, want one naming %q", tc.in, err, tc.want)
		}
	}
	if _, err := jsonl.ReadFile[item]("testdata/none.jsonl"); err == nil {
		t.Error("ReadFile of a missing file: no error")
	}
}
