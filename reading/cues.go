package reading

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// CuesFile holds the words that mark negation, hedges, questions, subjects,
// numbers, dates and intents.
const CuesFile = "reading.yaml"

// Intent is what a message asks the engine to do, beyond answering it.
type Intent string

// Intents, read from the phrases of reading.yaml.
const (
	IntentNone       Intent = ""
	IntentReset      Intent = "reset"
	IntentHuman      Intent = "human"
	IntentCheck      Intent = "check"
	IntentResults    Intent = "results"     // stop asking, give the verdicts now
	IntentAllResults Intent = "all_results" // show every verdict, not only the first few
	IntentGreeting   Intent = "greeting"
	IntentHelp       Intent = "help"
	IntentDontKnow   Intent = "dont_know"
	IntentCorrection Intent = "correction"
	IntentThanks     Intent = "thanks"
)

// Cues are the words of reading.yaml, ready to match.
type Cues struct {
	Scope struct {
		Breaks []string `yaml:"breaks"`
		// HanSpace: a space between two Chinese characters breaks too, as
		// people type a space for a comma (没残疾证 但是是退伍军人).
		HanSpace bool     `yaml:"han_space"`
		Turns    []string `yaml:"turns"`
		Joins    []string `yaml:"joins"`
		Reach    int      `yaml:"reach"`
	} `yaml:"scope"`
	Negation struct {
		Before       []string `yaml:"before"`
		After        []string `yaml:"after"`
		AfterFillers []string `yaml:"after_fillers"`
		// AfterVerbs may follow a denial after what it denies, to the end
		// of the scope: 歧视也没遇到过.
		AfterVerbs   []string `yaml:"after_verbs"`
		Pseudo       []string `yaml:"pseudo"`
		Alternatives []string `yaml:"alternatives"`
	} `yaml:"negation"`
	Hedges   []string `yaml:"hedges"`
	Question struct {
		Endings []string `yaml:"endings"`
		Topics  []string `yaml:"topics"`
		Marks   []string `yaml:"marks"`
		Words   []string `yaml:"words"`
		// Indefinite are words with a question word in them that ask
		// nothing: 没啥纠纷, 什么都没有.
		Indefinite []string `yaml:"indefinite"`
		Asking     []string `yaml:"asking"`
		Realis     []string `yaml:"realis"`
	} `yaml:"question"`
	Subjects struct {
		Self      []string `yaml:"self"`
		Plural    []string `yaml:"plural"`
		Workplace struct {
			Before []string `yaml:"before"`
			After  []string `yaml:"after"`
		} `yaml:"workplace"`
		Others  []string `yaml:"others"`
		Tells   []string `yaml:"tells"`
		Past    []string `yaml:"past"`
		Intend  []string `yaml:"intend"`
		Suppose []string `yaml:"suppose"`
	} `yaml:"subjects"`
	HireVerbs []string `yaml:"hire_verbs"`
	Numbers   struct {
		About     []string            `yaml:"about"`
		More      []string            `yaml:"more"`
		Measures  []string            `yaml:"measures"`
		Months    map[string]int      `yaml:"months"`
		Words     map[string]int      `yaml:"words"`
		UnitWords map[string][]string `yaml:"unit_words"`
		// AboutWords are hedges that keep a number: 大概二十个人 is about 20.
		AboutWords []string `yaml:"about_words"`
		// ZeroParticles, after one and before a denial, say none: 一个都没有.
		ZeroParticles []string `yaml:"zero_particles"`
		// Multipliers after a number of yuan: 1万 is 10000元.
		Multipliers map[string]int64 `yaml:"multipliers"`
	} `yaml:"numbers"`
	// Ordinal is how a reply names a button by its place: 第二个.
	Ordinal struct {
		Before []string `yaml:"before"`
		After  []string `yaml:"after"`
	} `yaml:"ordinal"`
	// Particles end a spoken reply and mean nothing: 小型的 is 小型.
	Particles []string `yaml:"particles"`
	Dates     struct {
		YearsAgo map[string]int `yaml:"years_ago"`
		Months   map[string]int `yaml:"months"`
		Ago      []string       `yaml:"ago"`
	} `yaml:"dates"`
	// Elliptic are the words that may stand around a denial that is a clause
	// of its own (现在不是了): it denies what the clause before named.
	Elliptic []string `yaml:"elliptic"`
	// Ended are what a clause says to tell something stopped (后来取消了):
	// like a denial of its own, it denies what the clause before named.
	Ended []string `yaml:"ended"`
	// NotYet are denials of what is still to come (还没毕业): no plain no
	// to a question of which kind one is.
	NotYet []string `yaml:"not_yet"`
	// Zero are replies that say none of a number: 一个都没有.
	Zero    []string            `yaml:"zero"`
	Yes     []string            `yaml:"yes"`
	No      []string            `yaml:"no"`
	Intents map[Intent][]string `yaml:"intents"`

	intents []intentPhrase // longest first
}

type intentPhrase struct {
	text   string
	intent Intent
}

// LoadCues reads reading.yaml from a corpus.
func LoadCues(fsys fs.FS) (*Cues, error) {
	data, err := fs.ReadFile(fsys, CuesFile)
	if err != nil {
		return nil, fmt.Errorf("load reading cues: %w", err)
	}
	return ParseCues(data)
}

// ParseCues reads the cues of reading.yaml and checks them.
func ParseCues(data []byte) (*Cues, error) {
	var c Cues
	if err := yaml.UnmarshalWithOptions(data, &c, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("read reading cues: %w", err)
	}
	var errs []error
	need := func(name string, list []string) {
		if len(list) == 0 {
			errs = append(errs, fmt.Errorf("%s is empty", name))
		}
	}
	need("scope.breaks", c.Scope.Breaks)
	need("negation.before", c.Negation.Before)
	need("question.words", c.Question.Words)
	need("subjects.self", c.Subjects.Self)
	need("hire_verbs", c.HireVerbs)
	need("yes", c.Yes)
	need("no", c.No)
	if c.Scope.Reach <= 0 {
		errs = append(errs, errors.New("scope.reach must be positive"))
	}
	for _, l := range []*[]string{
		&c.Scope.Breaks, &c.Scope.Turns, &c.Scope.Joins, &c.Negation.Before, &c.Negation.After, &c.Negation.AfterFillers, &c.Negation.AfterVerbs, &c.Negation.Pseudo,
		&c.Question.Topics, &c.Subjects.Past, &c.Subjects.Intend, &c.Elliptic, &c.Ended,
		&c.Negation.Alternatives, &c.Hedges, &c.Question.Endings, &c.Question.Marks, &c.Question.Words, &c.Question.Indefinite,
		&c.Question.Asking, &c.Question.Realis, &c.Subjects.Self, &c.Subjects.Plural, &c.Subjects.Workplace.Before, &c.Subjects.Workplace.After, &c.Subjects.Others, &c.Subjects.Tells, &c.Subjects.Suppose,
		&c.HireVerbs, &c.Numbers.About, &c.Numbers.More, &c.Numbers.Measures, &c.Numbers.ZeroParticles, &c.Dates.Ago, &c.Zero, &c.NotYet, &c.Yes, &c.No, &c.Numbers.AboutWords,
	} {
		*l = longestFirst(*l)
	}
	for intent, list := range c.Intents {
		for _, p := range list {
			c.intents = append(c.intents, intentPhrase{strings.ToLower(p), intent})
		}
	}
	// Longest phrase first: 不是 before 是, 人工客服 before 人工.
	slices.SortStableFunc(c.intents, func(a, b intentPhrase) int {
		if n := cmp.Compare(len(b.text), len(a.text)); n != 0 {
			return n
		}
		return strings.Compare(a.text, b.text)
	})
	if len(errs) > 0 {
		return nil, fmt.Errorf("read reading cues: %w", errors.Join(errs...))
	}
	return &c, nil
}

// longestFirst lower-cases a list of cues and orders it longest first, so a
// match at a position takes the longest cue there (没有 before 没).
func longestFirst(list []string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s = strings.ToLower(s); s != "" {
			out = append(out, s)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int { return cmp.Compare(len([]rune(b)), len([]rune(a))) })
	return out
}
