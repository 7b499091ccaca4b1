package kb

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/goccy/go-yaml"
)

// Vocabulary is the policy language the extractor looks for in sentences:
// the groups of people measures name and the phrases that defer details to
// another document. It is data (corpus/vocabulary.yaml), so a new notice's
// groups need no code change.
type Vocabulary struct {
	Groups    []string `yaml:"groups"`
	Deferrals []string `yaml:"deferrals"`
}

// ParseVocabulary reads vocabulary.yaml. Longer terms are tried first, so
// 应届高校毕业生 wins over 高校毕业生.
func ParseVocabulary(data []byte) (*Vocabulary, error) {
	var v Vocabulary
	if err := yaml.Unmarshal(data, &v); err != nil {
		return nil, fmt.Errorf("read vocabulary: %w", err)
	}
	byLength := func(a, b string) int { return cmp.Compare(len(b), len(a)) }
	slices.SortStableFunc(v.Groups, byLength)
	slices.SortStableFunc(v.Deferrals, byLength)
	return &v, nil
}
