package record

import "policybot/redact"

// redactValue returns v with every string inside it redacted. A fact is
// usually a number or a choice, but one typed by the user (a name, an
// employer) may carry a phone number.
func redactValue(v any) any {
	switch v := v.(type) {
	case string:
		return redact.Text(v)
	case map[string]any:
		if v == nil {
			return v
		}
		out := make(map[string]any, len(v))
		for k, x := range v {
			out[k] = redactValue(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = redactValue(x)
		}
		return out
	case map[string]string:
		out := make(map[string]string, len(v))
		for k, x := range v {
			out[k] = redact.Text(x)
		}
		return out
	case []string:
		out := make([]string, len(v))
		for i, x := range v {
			out[i] = redact.Text(x)
		}
		return out
	}
	return v
}
