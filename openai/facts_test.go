package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"policybot/answers"
	"policybot/answers/answerstest"
	"policybot/openai"
)

var employerFacts = []answers.FactSpec{
	{Key: "employer_size", Type: answers.FactEnum, Values: []string{"micro", "small", "medium", "large"}, Question: "企业规模？"},
	{Key: "hires_graduates", Type: answers.FactBool, Question: "是否招用应届高校毕业生？"},
	{Key: "graduates_hired", Type: answers.FactInt, Question: "招了几名？"},
	{Key: "graduation_date", Type: answers.FactDate, Question: "毕业日期？"},
}

func TestFactFillingKeepsOnlyWhatTheSchemaAllows(t *testing.T) {
	model := newLoopback(t, says(`{"employer_size":"gigantic","hires_graduates":true,"graduates_hired":3,"graduation_date":null,"subsidy":10000}`))
	client := model.client(t, model.config())
	st := answerstest.Open(t)
	req := answers.FactRequest{Message: "我们公司招了3个应届生，公司规模超级大", Lang: "zh", Schema: employerFacts}

	fill, err := answers.FillFacts(context.Background(), client, st.Verifier, req)
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]any{}
	for _, f := range fill.Facts {
		if f.Source != answers.FactSourceLLM {
			t.Errorf("%s has source %q", f.Key, f.Source)
		}
		kept[f.Key] = f.Value
	}
	if len(kept) != 2 || kept["hires_graduates"] != true || kept["graduates_hired"] != int64(3) {
		t.Errorf("kept %v", kept)
	}
	dropped := map[string]string{}
	for _, d := range fill.Dropped {
		dropped[d.Key] = d.Reason
	}
	if !strings.Contains(dropped["employer_size"], "not one of") || !strings.Contains(dropped["subsidy"], "not in the schema") || len(dropped) != 2 {
		t.Errorf("dropped %v", dropped)
	}

	// What went over the wire: a strict schema of exactly the fact keys.
	sent := model.last()
	if sent.ResponseFormat == nil || sent.ResponseFormat.Type != "json_schema" {
		t.Fatalf("response_format %+v", sent.ResponseFormat)
	}
	var format struct {
		Name   string `json:"name"`
		Strict bool   `json:"strict"`
		Schema struct {
			Type                 string                     `json:"type"`
			Required             []string                   `json:"required"`
			AdditionalProperties bool                       `json:"additionalProperties"`
			Properties           map[string]json.RawMessage `json:"properties"`
		} `json:"schema"`
	}
	if err := json.Unmarshal(sent.ResponseFormat.JSONSchema, &format); err != nil {
		t.Fatal(err)
	}
	if !format.Strict || format.Schema.Type != "object" || format.Schema.AdditionalProperties || len(format.Schema.Required) != len(employerFacts) {
		t.Errorf("schema %+v", format)
	}
	if p := string(format.Schema.Properties["employer_size"]); !strings.Contains(p, `"enum":["micro","small","medium","large"]`) || !strings.Contains(p, `"null"`) {
		t.Errorf("employer_size schema %s", p)
	}
	if !strings.Contains(sent.user(), "<message>我们公司招了3个应届生，公司规模超级大</message>") {
		t.Errorf("user message:\n%s", sent.user())
	}
}

func TestFactFillingJSONObjectMode(t *testing.T) {
	model := newLoopback(t, says("```json\n{\"hires_graduates\": false}\n```"))
	cfg := model.config()
	cfg.FactFormat = openai.FormatJSONObject
	client := model.client(t, cfg)
	facts, err := client.ProposeFacts(context.Background(), answers.FactRequest{Message: "没有招应届生", Schema: employerFacts})
	if err != nil {
		t.Fatal(err)
	}
	if facts["hires_graduates"] != false {
		t.Errorf("facts %v", facts)
	}
	if f := model.last().ResponseFormat; f == nil || f.Type != "json_object" {
		t.Errorf("response_format %+v", f)
	}
}

func TestFactFillingFailures(t *testing.T) {
	for name, c := range map[string]struct {
		act  behaviour
		kind openai.FailureKind
	}{
		"not JSON":    {says("我们公司招了3个应届生"), openai.Malformed},
		"JSON array":  {says(`["small"]`), openai.Malformed},
		"JSON null":   {says(`null`), openai.Empty},
		"server down": {fails(http.StatusServiceUnavailable, nil), openai.ServerError},
	} {
		model := newLoopback(t, c.act)
		client := model.client(t, model.config())
		_, err := client.ProposeFacts(context.Background(), answers.FactRequest{Message: "招了3个", Schema: employerFacts})
		var e *openai.Error
		if !errors.As(err, &e) || e.Kind != c.kind {
			t.Errorf("%s: err %v, want %s", name, err, c.kind)
		}
	}
}
