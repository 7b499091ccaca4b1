package answers_test

import (
	"context"
	"errors"
	"iter"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"policybot/answers"
	"policybot/answers/answerstest"
)

// phraserFunc is a Phraser standing in for a model.
type phraserFunc func(ctx context.Context, req answers.PhraseRequest) (answers.Phrased, error)

func (f phraserFunc) Phrase(ctx context.Context, req answers.PhraseRequest) (answers.Phrased, error) {
	return f(ctx, req)
}

// says is a phraser that replies text whatever it is asked.
func says(text string) phraserFunc {
	return func(context.Context, answers.PhraseRequest) (answers.Phrased, error) {
		return answers.Phrased{Text: text, Cited: answers.CitedSources(text)}, nil
	}
}

// tally is a PhraseRecorder.
type tally struct {
	mu sync.Mutex
	n  map[answers.PhraseOutcome]int
}

func (t *tally) RecordPhrasing(o answers.PhraseOutcome) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == nil {
		t.n = map[answers.PhraseOutcome]int{}
	}
	t.n[o]++
}

func phrasing(t *testing.T, p answers.Phraser) (*answers.Phrasing, *answerstest.Stack, *tally) {
	st := answerstest.Open(t)
	rec := &tally{}
	return &answers.Phrasing{Phraser: p, Replies: st.Replies, Verifier: st.Verifier, Timeout: time.Second, Recorder: rec}, st, rec
}

// grounded is how a model might phrase clause (三)'s first sentence.
const grounded = "中小微企业吸纳应届高校毕业生稳定就业6个月以上的，按规定可获得2000元/人的一次性吸纳就业补贴[1]。"

func askGraduates(t *testing.T, st *answerstest.Stack) *answers.Answer {
	a := st.Ask(t, "应届生吸纳补贴多少钱")
	if !strings.Contains(a.Quotes[0].Sentences[0].Text, "2000元/人") {
		t.Fatalf("retrieval no longer quotes the subsidy first: %q", a.Quotes[0].Sentences[0].Text)
	}
	return a
}

func TestReplyUsesVerifiedPhrasing(t *testing.T) {
	p, st, rec := phrasing(t, says(grounded))
	a := askGraduates(t, st)
	before := a.Citations()
	r := p.Reply(context.Background(), a, nil)
	if r.Outcome != answers.PhraseUsed {
		t.Fatalf("outcome %s (%s), want used", r.Outcome, r.Reason)
	}
	body := strings.TrimSuffix(grounded, "[1]。") + "。"
	if !strings.HasPrefix(r.Text, body+"\n") {
		t.Errorf("reply does not start with the phrased body:\n%s", r.Text)
	}
	for _, line := range []string{st.Replies.Citation("zh", a.Quotes[0]), st.Replies.Dated("zh", a.Doc)} {
		if !strings.Contains(r.Text, line) {
			t.Errorf("reply lacks %q:\n%s", line, r.Text)
		}
	}
	if strings.Contains(r.Text, "[1]") {
		t.Errorf("reply shows the model's citation marks:\n%s", r.Text)
	}
	if after := a.Citations(); !slices.Equal(before, after) {
		t.Errorf("citations changed: %v → %v", before, after)
	}
	if rec.n[answers.PhraseUsed] != 1 {
		t.Errorf("recorded %v", rec.n)
	}
}

func TestReplyFallsBack(t *testing.T) {
	boom := errors.New("model unavailable")
	cases := []struct {
		name    string
		phraser answers.Phraser
		outcome answers.PhraseOutcome
		reason  string
	}{
		{"invented amount", says(strings.Replace(grounded, "2000", "3000", 1)), answers.PhraseRejected, `"3000元/人" is not in the cited sources`},
		{"source not given", says(strings.Replace(grounded, "[1]", "[7]", 1)), answers.PhraseRejected, "cites source [7]"},
		{"no citation", says(strings.Replace(grounded, "[1]", "", 1)), answers.PhraseRejected, "cites no source"},
		{"empty text", says(""), answers.PhraseRejected, "cites no source"},
		{"phraser error", phraserFunc(func(context.Context, answers.PhraseRequest) (answers.Phrased, error) {
			return answers.Phrased{}, boom
		}), answers.PhraseFailed, "model unavailable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, st, rec := phrasing(t, c.phraser)
			a := askGraduates(t, st)
			r := p.Reply(context.Background(), a, nil)
			if r.Outcome != c.outcome || !strings.Contains(r.Reason, c.reason) {
				t.Fatalf("outcome %s (%s), want %s (%s)", r.Outcome, r.Reason, c.outcome, c.reason)
			}
			if want := st.Replies.Text(a); r.Text != want {
				t.Errorf("reply is not the extractive one:\n%s", r.Text)
			}
			if strings.Contains(r.Text, "3000") {
				t.Errorf("invented figure reached the reply:\n%s", r.Text)
			}
			if rec.n[c.outcome] != 1 {
				t.Errorf("recorded %v", rec.n)
			}
		})
	}
}

func TestReplyTimesOutAPhraserThatHangs(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	// This phraser ignores its context: the timeout must hold anyway.
	hang := phraserFunc(func(context.Context, answers.PhraseRequest) (answers.Phrased, error) {
		<-release
		return answers.Phrased{}, nil
	})
	p, st, _ := phrasing(t, hang)
	p.Timeout = 100 * time.Millisecond
	a := askGraduates(t, st)
	start := time.Now()
	r := p.Reply(context.Background(), a, nil)
	if elapsed := time.Since(start); elapsed > p.Timeout+200*time.Millisecond {
		t.Errorf("reply took %v with a timeout of %v", elapsed, p.Timeout)
	}
	if r.Outcome != answers.PhraseFailed || !errors.Is(r.Err, context.DeadlineExceeded) {
		t.Fatalf("outcome %s, err %v; want failed by deadline", r.Outcome, r.Err)
	}
	if r.Text != st.Replies.Text(a) {
		t.Errorf("reply is not the extractive one:\n%s", r.Text)
	}
}

func TestReplySkips(t *testing.T) {
	called := false
	spy := phraserFunc(func(context.Context, answers.PhraseRequest) (answers.Phrased, error) {
		called = true
		return answers.Phrased{}, nil
	})
	st := answerstest.Open(t)
	none, err := st.Answerer.Ask(context.Background(), "今天天气怎么样")
	if err != nil || none.Status != answers.NoAnswer {
		t.Fatalf("ask: %v, %v", none, err)
	}
	for name, c := range map[string]struct {
		p answers.Phraser
		a *answers.Answer
	}{ // the phraser may be called only for an answer, with a verifier
		"no phraser":  {nil, askGraduates(t, st)},
		"no verifier": {spy, askGraduates(t, st)},
		"no answer":   {spy, none},
	} {
		p, _, _ := phrasing(t, c.p)
		if name == "no verifier" {
			p.Verifier = nil
		}
		r := p.Reply(context.Background(), c.a, nil)
		if r.Outcome != answers.PhraseSkipped || r.Text != st.Replies.Text(c.a) {
			t.Errorf("%s: outcome %s, text %q", name, r.Outcome, r.Text)
		}
	}
	if called {
		t.Error("phraser asked to phrase an answer with nothing to quote")
	}
}

func TestReplyKeepsExpiryWarning(t *testing.T) {
	p, st, _ := phrasing(t, says("失业保险费率阶段性降至1%，政策执行至2023年4月30日[1]。"))
	a := st.Quoting(t, "失业保险费率降到多少", "zh", premiumRate)
	a.Today = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	r := p.Reply(context.Background(), a, nil)
	if r.Outcome != answers.PhraseUsed {
		t.Fatalf("outcome %s (%s)", r.Outcome, r.Reason)
	}
	if !strings.Contains(r.Text, "已于2023年4月30日到期") {
		t.Errorf("phrased reply lost the expiry warning:\n%s", r.Text)
	}
}

func TestWithCitationsKeepsEveryLineUnderTheQuote(t *testing.T) {
	st := answerstest.Open(t)
	expired := st.Quoting(t, "失业保险费率降到多少", "zh", premiumRate)
	expired.Today = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	deferred := st.Quoting(t, "扩岗补助多少钱", "zh", expansion)
	deferred.NotStated, deferred.Deferral = true, "实施细则另行制定"
	related := st.Quoting(t, "How much is the subsidy for hiring new graduates?", "en", graduates, premiumRate)
	for name, a := range map[string]*answers.Answer{"expired": expired, "not stated": deferred, "related, English": related} {
		text := st.Replies.Text(a)
		quote, _, _ := strings.Cut(text, "\n")
		if !strings.HasPrefix(quote, "“") {
			t.Fatalf("%s: the extractive reply no longer starts with its quote:\n%s", name, text)
		}
		// Phrasing the quote as itself gives back the extractive reply.
		if got := st.Replies.WithCitations(a, quote); got != text {
			t.Errorf("%s: WithCitations\n%s\nwant\n%s", name, got, text)
		}
	}
	p, _, _ := phrasing(t, says("企业吸纳毕业年度高校毕业生稳定就业的，给予一次性扩岗补助[1]。"))
	r := p.Reply(context.Background(), deferred, nil)
	if r.Outcome != answers.PhraseUsed || !strings.Contains(r.Text, "实施细则另行制定") {
		t.Errorf("phrased reply lost the not-stated note (%s):\n%s", r.Outcome, r.Text)
	}
}

func TestReplySendsHistoryAndSources(t *testing.T) {
	var got answers.PhraseRequest
	spy := phraserFunc(func(_ context.Context, req answers.PhraseRequest) (answers.Phrased, error) {
		got = req
		return answers.Phrased{Text: grounded, Cited: []int{1}}, nil
	})
	p, st, _ := phrasing(t, spy)
	a := askGraduates(t, st)
	history := []answers.Message{{Role: answers.RoleUser, Content: "你好"}, {Role: answers.RoleAssistant, Content: "您好，请问有什么可以帮您？"}}
	p.Reply(context.Background(), a, history)
	if got.Question != a.Question || got.Lang != "zh" || len(got.Sources) == 0 || !slices.Equal(got.History, history) {
		t.Errorf("request = %+v", got)
	}
}

// streamer is a StreamPhraser that writes its text a few runes at a time.
type streamer struct {
	phraserFunc
	text  string
	err   error // after the text
	trace *[]string
}

func (s streamer) PhraseStream(ctx context.Context, _ answers.PhraseRequest) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		rs := []rune(s.text)
		for i := 0; i < len(rs); i += 3 {
			piece := string(rs[i:min(i+3, len(rs))])
			*s.trace = append(*s.trace, "model:"+piece)
			if !yield(piece, nil) {
				return
			}
		}
		if s.err != nil {
			yield("", s.err)
		}
	}
}

func stream(t *testing.T, text string, err error) (answers.Reply, []string, *answers.Answer, *answerstest.Stack) {
	var trace []string
	p, st, _ := phrasing(t, streamer{text: text, err: err, trace: &trace})
	a := st.Quoting(t, "应届生吸纳补贴多少钱", "zh", graduates, expansion)
	var emitted []string
	r := p.Stream(context.Background(), a, nil, func(s string) error {
		emitted = append(emitted, s)
		trace = append(trace, "emit:"+s)
		return nil
	})
	if joined := strings.Join(emitted, ""); joined != r.Text {
		t.Errorf("emitted %q, reply text %q", joined, r.Text)
	}
	return r, trace, a, st
}

const (
	first  = "中小微企业吸纳应届高校毕业生稳定就业6个月以上的，给予2000元/人一次性吸纳就业补贴[1]。"
	second = "企业吸纳毕业年度高校毕业生的一次性扩岗补助与这项补贴不重复享受[2]。"
)

func TestStreamSendsVerifiedSentences(t *testing.T) {
	r, trace, a, st := stream(t, first+second, nil)
	if r.Outcome != answers.PhraseUsed {
		t.Fatalf("outcome %s (%s)", r.Outcome, r.Reason)
	}
	var emits []string
	for i, e := range trace {
		if s, ok := strings.CutPrefix(e, "emit:"); ok {
			emits = append(emits, s)
			if i == 0 {
				t.Fatal("emitted before the model wrote")
			}
		}
	}
	want := []string{"中小微企业吸纳应届高校毕业生稳定就业6个月以上的，给予2000元/人一次性吸纳就业补贴。", "企业吸纳毕业年度高校毕业生的一次性扩岗补助与这项补贴不重复享受。"}
	if len(emits) != 3 || emits[0] != want[0] || emits[1] != want[1] {
		t.Fatalf("emitted %q, want the two sentences then the citation lines", emits)
	}
	// The first sentence went out before the model finished the second.
	firstAt, lastModel := slices.Index(trace, "emit:"+want[0]), 0
	for i, e := range trace {
		if strings.HasPrefix(e, "model:") {
			lastModel = i
		}
	}
	if firstAt > lastModel {
		t.Errorf("first sentence emitted only after the model finished: %q", trace)
	}
	if !strings.Contains(emits[2], st.Replies.Citation("zh", a.Quotes[0])) {
		t.Errorf("last piece %q lacks the citation", emits[2])
	}
}

func TestStreamStopsAtAnInventedSentence(t *testing.T) {
	r, _, a, st := stream(t, first+"企业吸纳毕业年度高校毕业生可获得3000元一次性扩岗补助[2]。", nil)
	if r.Outcome != answers.PhraseRejected {
		t.Fatalf("outcome %s (%s)", r.Outcome, r.Reason)
	}
	if strings.Contains(r.Text, "3000") {
		t.Errorf("invented figure reached the reader:\n%s", r.Text)
	}
	want := "中小微企业吸纳应届高校毕业生稳定就业6个月以上的，给予2000元/人一次性吸纳就业补贴。\n" + st.Replies.Text(a)
	if r.Text != want {
		t.Errorf("reply\n%s\nwant the verified sentence, then the extractive reply\n%s", r.Text, want)
	}
}

func TestStreamFallsBackBeforeAnything(t *testing.T) {
	for name, c := range map[string]struct {
		text    string
		err     error
		outcome answers.PhraseOutcome
	}{
		"invented first":                   {strings.Replace(first, "2000", "3000", 1) + second, nil, answers.PhraseRejected},
		"no citation":                      {strings.ReplaceAll(first, "[1]", ""), nil, answers.PhraseRejected},
		"chatter, then a claim that fails": {"好的！\n\n" + strings.Replace(first, "2000", "3000", 1), nil, answers.PhraseRejected},
		"error at once":                    {"", errors.New("connection reset"), answers.PhraseFailed},
		"error mid-phrase":                 {"中小微企业吸纳应届高校", errors.New("connection reset"), answers.PhraseFailed},
	} {
		r, _, a, st := stream(t, c.text, c.err)
		if r.Outcome != c.outcome || r.Text != st.Replies.Text(a) {
			t.Errorf("%s: outcome %s (%s), text\n%s", name, r.Outcome, r.Reason, r.Text)
		}
	}
}

func TestStreamTrimsBlankLines(t *testing.T) {
	r, _, a, st := stream(t, "\n\n"+first+"\n\n"+second+"\n\n", nil)
	want := st.Replies.WithCitations(a, strings.Replace(first, "[1]", "", 1)+"\n\n"+strings.Replace(second, "[2]", "", 1))
	if r.Outcome != answers.PhraseUsed || r.Text != want {
		t.Errorf("outcome %s (%s), reply\n%q\nwant\n%q", r.Outcome, r.Reason, r.Text, want)
	}
}

func TestStreamStopsWhenEmitFails(t *testing.T) {
	var trace []string
	p, st, _ := phrasing(t, streamer{text: first + second, trace: &trace})
	a := st.Quoting(t, "应届生吸纳补贴多少钱", "zh", graduates, expansion)
	gone := errors.New("client went away")
	r := p.Stream(context.Background(), a, nil, func(string) error { return gone })
	if r.Outcome != answers.PhraseFailed || !errors.Is(r.Err, gone) {
		t.Fatalf("outcome %s, err %v", r.Outcome, r.Err)
	}
	if n := len(trace); n >= len([]rune(first+second))/3 {
		t.Errorf("model kept streaming after the reader left (%d pieces)", n)
	}
}
