package reading

import (
	"context"
	"fmt"
	"slices"
	"time"

	"policybot/kb"
	"policybot/zh"
)

// individual is the role of a person speaking for themselves: the value of
// the role fact the speaker's 我 votes for.
const individual = "individual"

// Who read a fact.
const (
	ByRules = "rules" // the schema's phrases, patterns and frames, with the cues of reading.yaml
	ByModel = "llm"   // a language model, checked against the schema
)

// Certainty of a fact a message mentions.
type Certainty string

// Certainties. Only sure facts are asserted; a hedged one (好像是脱贫户) is
// a mention the dialogue may ask about, not a fact it knows.
const (
	Sure   Certainty = "sure"
	Hedged Certainty = "hedged"
)

// Reading is what a message says: what it asks the engine to do, the facts
// the person asserts about themselves, the topics they ask about, and the
// language. The dialogue acts on readings and never reads text itself.
type Reading struct {
	Text   string // the message as sent
	Folded string // folded: simplified characters, ASCII digits and letters, lower case
	Lang   string // zh or en
	Intent Intent
	// Question reports whether the message asks something about policy, to
	// be answered from the notices.
	Question bool
	// Facts are the facts the message states about the speaker, each once,
	// in the schema's order; hedged ones have Certainty Hedged.
	Facts []Fact
	// Topics are the facts the message names without asserting them of the
	// speaker: asked about (退捕渔民有帮扶吗), said of someone else (我儿子是
	// 残疾人) or supposed (如果我是脱贫户). Each once, in the schema's order.
	Topics []string
	// Answer is the reply to the question pending, when the message answers
	// it; it is among Facts too.
	Answer *Fact
}

// Fact is one fact a message states.
type Fact struct {
	Key       string
	Value     any  // bool, int64 or string (an enum value), as the schema normalises it
	Negated   bool // it came from a denial: 没有招残疾人, 不是脱贫户
	Certainty Certainty
	Words     string // the words it came from, as folded
	By        string // ByRules or ByModel
}

// Asserted lists the sure facts as a map, for storing.
func (r *Reading) Asserted() map[string]any {
	out := map[string]any{}
	for _, f := range r.Facts {
		if f.Certainty == Sure {
			out[f.Key] = f.Value
		}
	}
	return out
}

// Fact returns the sure fact key, if the message asserts it.
func (r *Reading) Fact(key string) (Fact, bool) {
	for _, f := range r.Facts {
		if f.Key == key && f.Certainty == Sure {
			return f, true
		}
	}
	return Fact{}, false
}

// Context is where the conversation stands when a message arrives.
type Context struct {
	Pending string         // the fact the engine asked for last, if any
	Known   map[string]any // facts known before the message
	Lang    string         // the conversation's language so far
	Today   time.Time      // relative dates (去年毕业) are read against it
	// Model, when set, reads a reply to the question pending that the rules
	// could not read.
	Model Model
}

// Model reads, into the fact schema, what the rules could not: a language
// model, whose proposals are checked against the schema before they reach
// the reader (answers.FillFacts).
type Model interface {
	ReadFacts(ctx context.Context, text, lang string) ([]Fact, error)
}

// Config is what a Reader is built from.
type Config struct {
	Schema *kb.FactSchema
	Cues   *Cues
	// Claimants lists, per fact, the roles that may state it
	// (kb.Corpus.Claimants): a fact only employers' rules read says the
	// person speaks for an employer, and is not a job seeker's to state.
	Claimants map[string][]string
}

// Reader turns messages into readings. It is safe for concurrent use.
type Reader struct {
	schema *kb.FactSchema
	cues   *Cues
	folder *zh.Folder
	frames []*frame // what reveals each fact, compiled from the schema
	claims map[string][]string
}

// New returns a reader.
func New(cfg Config) (*Reader, error) {
	if cfg.Schema == nil || cfg.Cues == nil {
		return nil, fmt.Errorf("new reader: schema and cues are required")
	}
	f, err := zh.NewFolder()
	if err != nil {
		return nil, fmt.Errorf("new reader: %w", err)
	}
	r := &Reader{schema: cfg.Schema, cues: cfg.Cues, folder: f, claims: cfg.Claimants}
	for _, fact := range cfg.Schema.Facts {
		r.frames = append(r.frames, newFrame(fact, r.normalize))
	}
	return r, nil
}

// Open returns the reader of a corpus: its fact schema, the cues of its
// reading.yaml and who may state each fact, from its rules.
func Open(c *kb.Corpus) (*Reader, error) {
	if c.Facts == nil {
		return nil, fmt.Errorf("open reader: the corpus has no %s", kb.FactsFile)
	}
	cues, err := LoadCues(c.FS)
	if err != nil {
		return nil, fmt.Errorf("open reader: %w", err)
	}
	return New(Config{Schema: c.Facts, Cues: cues, Claimants: c.Claimants()})
}

// Claimant is the one role that may state fact key, if only one may
// (kb.Corpus.Claimants): 脱贫人口 is a person's, 企业规模 an employer's.
func (r *Reader) Claimant(key string) (string, bool) {
	if who := r.claims[key]; len(who) == 1 {
		return who[0], true
	}
	return "", false
}

// Schema is the fact schema the reader reads into.
func (r *Reader) Schema() *kb.FactSchema { return r.schema }

// Cues are the reader's cue words.
func (r *Reader) Cues() *Cues { return r.cues }

// Read reads one message.
func (r *Reader) Read(ctx context.Context, text string, c Context) *Reading {
	folded := r.folder.Fold(text)
	out := &Reading{Text: text, Folded: folded, Lang: zh.Language(text, c.Lang)}
	if c.Today.IsZero() {
		c.Today = time.Now()
	}
	m := r.analyse(folded, c)
	out.Intent = r.intent(folded)
	out.Question = m.question && out.Intent != IntentCheck || m.question && len(m.facts) == 0
	out.Facts = m.facts
	out.Topics = m.topics
	if c.Pending != "" {
		r.answer(ctx, out, m, c)
		if out.Answer != nil && m.echo {
			out.Question = false // 当兵？没当过 asks nothing
		}
	}
	r.speaker(out, c, m.singular)
	r.valid(out)
	return out
}

// valid keeps only the facts whose values the schema accepts, normalized:
// 1000000001 people is no staff count, whatever the words said.
func (r *Reader) valid(out *Reading) {
	kept := out.Facts[:0]
	for _, f := range out.Facts {
		if def := r.schema.Fact(f.Key); def != nil {
			if v, err := def.Normalize(f.Value); err == nil {
				f.Value = v
				kept = append(kept, f)
			}
		}
	}
	out.Facts = kept
	if out.Answer != nil {
		if got, ok := out.Fact(out.Answer.Key); ok {
			out.Answer = &got
		} else {
			out.Answer = nil
		}
	}
}

// speaker settles who is speaking and keeps only the facts theirs to state.
// The role is what the message says (我们公司, 我是), or what was known, or
// what the question pending implies (asked 就业状况, a person answers), or
// what the facts stated tell: facts only one kind of claimant's rules read
// (企业规模, 2025年毕业) when they all, or nearly all, point one way.
func (r *Reader) speaker(out *Reading, c Context, singular bool) {
	if len(r.claims) == 0 {
		return
	}
	role := ""
	if f, ok := out.Fact(kb.RoleFact); ok {
		role = f.Value.(string)
	} else if v, ok := c.Known[kb.RoleFact].(string); ok {
		role = v
	} else if who := r.claims[c.Pending]; len(who) == 1 {
		role = who[0] // asked what only one kind of claimant is asked
	} else if c.Pending == "" {
		// A reply's role is the conversation's, not the reply's to tell.
		role = r.inferRole(out.Facts, singular)
		if role != "" {
			out.Facts = r.ordered(append(out.Facts, Fact{Key: kb.RoleFact, Value: role, Certainty: Sure, By: ByRules}))
		}
	}
	if role == "" {
		return
	}
	// The answer to the question asked stays: what was asked concerns them.
	out.Facts = slices.DeleteFunc(out.Facts, func(f Fact) bool {
		who, read := r.claims[f.Key]
		return f.Key != kb.RoleFact && f.Key != c.Pending && read && !slices.Contains(who, role)
	})
	if out.Answer != nil {
		if _, ok := out.Fact(out.Answer.Key); !ok {
			out.Answer = nil
		}
	}
}

// inferRole tells who is speaking from the facts stated, when they did not
// say: each fact only one kind of claimant states votes for it, denied or
// not (我并非退役军人 is a person speaking), and a speaker who speaks only
// as 我 votes for a person. A role wins with every vote, or with two or
// more and twice the rest.
func (r *Reader) inferRole(facts []Fact, singular bool) string {
	votes := map[string]int{}
	total := 0
	for _, f := range facts {
		if who := r.claims[f.Key]; len(who) == 1 && f.Certainty == Sure {
			votes[who[0]]++
			total++
		}
	}
	if total == 0 {
		return ""
	}
	if singular {
		votes[individual]++
		total++
	}
	best, most := "", 0
	for _, v := range r.schema.Fact(kb.RoleFact).Values {
		if votes[v.Value] > most {
			best, most = v.Value, votes[v.Value]
		}
	}
	if most > 0 && (most == total || most >= 2 && most > 2*(total-most)) {
		return best
	}
	return ""
}

// answer finds the reply to the question pending: a fact the message states
// about it, or a reply read in the light of the question (是的, 3个, 小型的,
// 第二个), or, with a model, what the model reads.
func (r *Reader) answer(ctx context.Context, out *Reading, m *message, c Context) {
	f := r.schema.Fact(c.Pending)
	if f == nil {
		return
	}
	if got, ok := out.Fact(f.Key); ok {
		out.Answer = &got
		return
	}
	if slices.ContainsFunc(out.Facts, func(x Fact) bool { return x.Key == f.Key }) {
		return // hedged: not an answer
	}
	if out.Intent == IntentDontKnow || out.Intent == IntentCorrection {
		return
	}
	if v, words, ok := r.reply(f, m, len(out.Facts) == 0); ok {
		got := Fact{Key: f.Key, Value: v, Certainty: Sure, Words: words, By: ByRules}
		out.Facts = r.ordered(append(out.Facts, got))
		out.Answer = &got
		return
	}
	// Asked for a number, a denial without one (暂时不贷款) says it does not
	// apply: no answer will come, so it is the same as 不知道.
	if f.Type == kb.FactInt && len(out.Facts) == 0 && m.denies && !number.MatchString(m.t.s) {
		out.Intent = IntentDontKnow
		return
	}
	if c.Model == nil || m.hedged {
		return
	}
	facts, err := c.Model.ReadFacts(ctx, out.Text, out.Lang)
	if err != nil {
		return // the model's failures are its own to report; the rules' reading stands
	}
	known := map[string]bool{}
	for _, x := range out.Facts {
		known[x.Key] = true
	}
	for _, x := range facts {
		if known[x.Key] {
			continue
		}
		x.By, x.Certainty = ByModel, Sure
		out.Facts = append(out.Facts, x)
		if x.Key == f.Key {
			got := x
			out.Answer = &got
		}
	}
	out.Facts = r.ordered(out.Facts)
}

// ordered sorts facts in the schema's order.
func (r *Reader) ordered(facts []Fact) []Fact {
	order := map[string]int{}
	for i, f := range r.schema.Facts {
		order[f.Key] = i
	}
	slices.SortStableFunc(facts, func(a, b Fact) int { return order[a.Key] - order[b.Key] })
	return facts
}

// intent finds what a folded message asks the engine to do. Some intents
// carry over whatever else the message says (帮我看看, 不对, 不知道, 直接看
// 结果); the others count only when their phrase is most of the message,
// so "重新开始创业有补贴吗" is a question, not a reset.
func (r *Reader) intent(folded string) Intent {
	text := trimMarks(folded)
	for _, p := range r.cues.intents {
		if !containsCue(text, p.text) {
			continue
		}
		switch p.intent {
		case IntentCheck, IntentCorrection, IntentResults:
			return p.intent
		case IntentDontKnow:
			// 不知道 in a longer message is a hedge of what follows, not a reply.
			if len(text) <= len(p.text)+12 {
				return p.intent
			}
			continue
		}
		if len(text) <= len(p.text)+9 { // the phrase and at most three more characters
			return p.intent
		}
	}
	return IntentNone
}
