package kb

import (
	"fmt"
	"time"
)

// describeValue says what a fact's value is as the person who sent it sees
// it, in JSON's terms: an error about a profile must speak of what was sent
// (an array, 1.5, "huge"), never of Go's types ([]interface {}, float64).
func describeValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", v)
	case bool:
		return fmt.Sprint(v)
	case float64, float32, int, int32, int64:
		return fmt.Sprint(v)
	case time.Time:
		return v.Format(time.DateOnly)
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value of another kind"
}
