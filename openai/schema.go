package openai

import (
	gopenai "github.com/sashabaranov/go-openai"
	"github.com/sashabaranov/go-openai/jsonschema"

	"policybot/answers"
)

// factFormat asks for the facts as JSON: under a strict schema of the fact
// keys (each its type or null, enums spelt out), or as any JSON object for
// servers without structured outputs. Code checks the reply either way.
func factFormat(format string, specs []answers.FactSpec) *gopenai.ChatCompletionResponseFormat {
	if format == FormatJSONObject {
		return &gopenai.ChatCompletionResponseFormat{Type: gopenai.ChatCompletionResponseFormatTypeJSONObject}
	}
	return &gopenai.ChatCompletionResponseFormat{
		Type: gopenai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &gopenai.ChatCompletionResponseFormatJSONSchema{
			Name: "facts", Schema: factSchema(specs), Strict: true,
		},
	}
}

// factSchema is the JSON schema of a facts reply. Strict structured outputs
// want every key required and no others, so "not stated" is null.
func factSchema(specs []answers.FactSpec) *jsonschema.Definition {
	props := map[string]jsonschema.Definition{}
	var keys []string
	for _, s := range specs {
		var d jsonschema.Definition
		switch s.Type {
		case answers.FactBool:
			d.Type = jsonschema.Boolean
		case answers.FactInt:
			d.Type = jsonschema.Integer
		case answers.FactNumber:
			d.Type = jsonschema.Number
		case answers.FactEnum:
			d.Type, d.Enum = jsonschema.String, s.Values
		case answers.FactDate:
			d.Type, d.Description = jsonschema.String, "a date, YYYY-MM-DD"
		default:
			continue
		}
		props[s.Key] = jsonschema.Definition{Description: s.Question, AnyOf: []jsonschema.Definition{d, {Type: jsonschema.Null}}}
		keys = append(keys, s.Key)
	}
	return &jsonschema.Definition{Type: jsonschema.Object, Properties: props, Required: keys, AdditionalProperties: false}
}
