package answers

import (
	"context"
	"errors"
	"iter"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Phraser rewords the quoted sentences of an answer into a short reply, as
// a language model does. It is optional: without one, replies stay
// extractive. Whatever it returns is verified before anyone sees it.
type Phraser interface {
	Phrase(ctx context.Context, req PhraseRequest) (Phrased, error)
}

// StreamPhraser is a Phraser that can hand its text over as it is written.
// The sequence yields pieces of text in order; a non-nil error ends it.
type StreamPhraser interface {
	Phraser
	PhraseStream(ctx context.Context, req PhraseRequest) iter.Seq2[string, error]
}

// PhraseRequest is what a Phraser is given: the question, its language,
// the sources to answer from, numbered from 1, and a short history.
type PhraseRequest struct {
	Question string
	Lang     string    // "zh" or "en"
	Sources  []Source  // Sources[i].N == i+1
	History  []Message // the conversation before the question, oldest first
}

// Source is one quoted sentence a phrased answer may cite as [N].
type Source struct {
	N      int
	Doc    string    // the notice's short title
	Issued time.Time // when the notice was issued
	Clause string    // the clause number as printed: （三）
	Title  string    // the clause title
	Text   string    // the sentence, as quoted
}

// Phrased is a Phraser's reply: the text with its [n] marks, and the source
// numbers it cites.
type Phrased struct {
	Text  string
	Cited []int
}

// PhraseOutcome says what became of a phrasing.
type PhraseOutcome string

// Outcomes of a phrasing, for logs and metrics.
const (
	PhraseUsed     PhraseOutcome = "used"     // verified and sent
	PhraseRejected PhraseOutcome = "rejected" // failed verification; the quote was sent
	PhraseFailed   PhraseOutcome = "failed"   // the phraser failed or timed out; the quote was sent
	PhraseSkipped  PhraseOutcome = "skipped"  // not attempted: no phraser, or nothing to phrase
)

// PhraseRecorder is told every phrasing's outcome, for metrics.
type PhraseRecorder interface {
	RecordPhrasing(PhraseOutcome)
}

// Reply is the text to send for an answer and what became of its phrasing.
// The citations to show stay the answer's own (Answer.Citations).
type Reply struct {
	Text    string
	Outcome PhraseOutcome
	Reason  string // why it was rejected, failed or skipped
	Err     error  // the phraser's error, when it failed
	Elapsed time.Duration
}

// Limits of phrasing.
const (
	// DefaultPhraseTimeout bounds a phrasing when Phrasing.Timeout is zero.
	DefaultPhraseTimeout = 15 * time.Second
	// maxHistory is how many earlier messages a model sees, and
	// maxHistoryRunes how much of each: enough to resolve "它" or "that one".
	maxHistory      = 4
	maxHistoryRunes = 300
)

// Phrasing turns answers into replies, phrased by a model when one is set
// and its text passes verification, quoted otherwise. Its zero Phraser
// means quoted replies only.
type Phrasing struct {
	Phraser  Phraser   // nil: every reply is the extractive one
	Replies  *Replies  // renders the extractive reply and the citation lines
	Verifier *Verifier // checks every phrased answer; nil: replies stay extractive
	// Timeout bounds a whole phrasing (DefaultPhraseTimeout when zero). Set
	// it a little above the adapter's own per-call deadline, so a slow model
	// is reported as the adapter's timeout rather than as this one.
	Timeout  time.Duration
	Recorder PhraseRecorder   // optional
	Logger   *slog.Logger     // optional
	Now      func() time.Time // optional, for Elapsed
}

// Reply phrases an answer and returns the reply to send: the phrased text
// with the answer's citation lines if it passes verification within the
// timeout, otherwise the extractive reply. history is the conversation
// before the question.
func (p *Phrasing) Reply(ctx context.Context, a *Answer, history []Message) Reply {
	start := p.now()
	if reply, skip := p.skip(a); skip {
		return p.finish(ctx, reply, start)
	}
	req := NewPhraseRequest(a, history)
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()
	out, err := p.call(ctx, req)
	if err != nil {
		return p.finish(ctx, p.fallback(a, PhraseFailed, err.Error(), err), start)
	}
	body, err := p.Verifier.Verify(out, req)
	if err != nil {
		return p.finish(ctx, p.fallback(a, PhraseRejected, err.Error(), nil), start)
	}
	return p.finish(ctx, Reply{Text: p.Replies.WithCitations(a, body), Outcome: PhraseUsed}, start)
}

// call runs the phraser, giving up when ctx ends even if the phraser does not.
func (p *Phrasing) call(ctx context.Context, req PhraseRequest) (Phrased, error) {
	type result struct {
		out Phrased
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := p.Phraser.Phrase(ctx, req)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-ctx.Done():
		return Phrased{}, ctx.Err()
	}
}

// Stream is Reply for channels that show text as it comes: emit receives
// the reply in pieces, each sentence of a phrased answer once it is
// verified. If a sentence fails, or the phraser fails, after some were
// sent, the extractive reply follows them, so the reader still gets the
// quote; if nothing was sent yet, the extractive reply is all that is. The
// pieces emitted join to the returned Reply.Text. An error from emit stops
// the stream and is returned as Reply.Err with the Failed outcome.
func (p *Phrasing) Stream(ctx context.Context, a *Answer, history []Message, emit func(string) error) Reply {
	sp, ok := p.Phraser.(StreamPhraser)
	if !ok {
		r := p.Reply(ctx, a, history)
		if err := emit(r.Text); err != nil {
			r.Err = err
		}
		return r
	}
	start := p.now()
	if reply, skip := p.skip(a); skip {
		if err := emit(reply.Text); err != nil {
			reply.Err = err
		}
		return p.finish(ctx, reply, start)
	}
	req := NewPhraseRequest(a, history)
	ctx, cancel := context.WithTimeout(ctx, p.timeout())
	defer cancel()
	s := &streamed{emit: emit}
	g := p.Verifier.newGate(req)
	for piece, err := range sp.PhraseStream(ctx, req) {
		if err != nil {
			return p.finish(ctx, s.fail(p.fallback(a, PhraseFailed, err.Error(), err)), start)
		}
		if !s.send(g.feed(piece)) {
			return p.finish(ctx, s.reply(PhraseFailed, s.err.Error()), start)
		}
		if g.err != nil {
			return p.finish(ctx, s.fail(p.fallback(a, PhraseRejected, g.err.Error(), nil)), start)
		}
	}
	if ctx.Err() != nil { // a phraser that stops without saying why
		return p.finish(ctx, s.fail(p.fallback(a, PhraseFailed, ctx.Err().Error(), ctx.Err())), start)
	}
	if !s.send(g.close()) {
		return p.finish(ctx, s.reply(PhraseFailed, s.err.Error()), start)
	}
	if g.err != nil {
		return p.finish(ctx, s.fail(p.fallback(a, PhraseRejected, g.err.Error(), nil)), start)
	}
	if !s.send([]string{"\n" + strings.Join(p.Replies.citationLines(a), "\n")}) {
		return p.finish(ctx, s.reply(PhraseFailed, s.err.Error()), start)
	}
	return p.finish(ctx, s.reply(PhraseUsed, ""), start)
}

// streamed is what a Stream has emitted so far.
type streamed struct {
	emit func(string) error
	text strings.Builder
	sent bool // a sentence of the phrased answer went out
	err  error
}

func (s *streamed) send(pieces []string) bool {
	for _, piece := range pieces {
		if s.err = s.emit(piece); s.err != nil {
			return false
		}
		s.text.WriteString(piece)
		s.sent = true
	}
	return true
}

// fail sends the extractive reply after whatever was sent.
func (s *streamed) fail(fallback Reply) Reply {
	text := fallback.Text
	if s.sent {
		text = "\n" + text
	}
	if s.send([]string{text}) {
		fallback.Text = s.text.String()
	} else {
		fallback.Err = errors.Join(fallback.Err, s.err)
	}
	return fallback
}

func (s *streamed) reply(o PhraseOutcome, reason string) Reply {
	return Reply{Text: s.text.String(), Outcome: o, Reason: reason, Err: s.err}
}

// skip returns the extractive reply when there is nothing to phrase.
func (p *Phrasing) skip(a *Answer) (Reply, bool) {
	switch {
	case p.Phraser == nil:
		return Reply{Text: p.Replies.Text(a), Outcome: PhraseSkipped, Reason: "no phraser"}, true
	case p.Verifier == nil:
		// Nothing unverified is ever sent: without a verifier, quote.
		return Reply{Text: p.Replies.Text(a), Outcome: PhraseSkipped, Reason: "no verifier"}, true
	case a.Status != Answered || len(a.Quotes) == 0:
		// A model given nothing to quote could only invent.
		return Reply{Text: p.Replies.Text(a), Outcome: PhraseSkipped, Reason: "no answer to phrase"}, true
	}
	return Reply{}, false
}

func (p *Phrasing) fallback(a *Answer, o PhraseOutcome, reason string, err error) Reply {
	return Reply{Text: p.Replies.Text(a), Outcome: o, Reason: reason, Err: err}
}

// finish times, records and logs a reply.
func (p *Phrasing) finish(ctx context.Context, r Reply, start time.Time) Reply {
	r.Elapsed = p.now().Sub(start)
	if p.Recorder != nil {
		p.Recorder.RecordPhrasing(r.Outcome)
	}
	level := slog.LevelDebug
	switch r.Outcome {
	case PhraseRejected:
		level = slog.LevelInfo
	case PhraseFailed:
		level = slog.LevelWarn
	}
	p.logger().LogAttrs(ctx, level, "phrase",
		slog.String("outcome", string(r.Outcome)), slog.String("reason", r.Reason),
		slog.Duration("elapsed", r.Elapsed))
	return r
}

func (p *Phrasing) timeout() time.Duration {
	if p.Timeout > 0 {
		return p.Timeout
	}
	return DefaultPhraseTimeout
}

func (p *Phrasing) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Phrasing) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// NewPhraseRequest numbers an answer's quoted sentences as sources, the
// answer's own first, then the policy update registry's lines on them, and
// keeps the last few messages of history.
func NewPhraseRequest(a *Answer, history []Message) PhraseRequest {
	req := PhraseRequest{Question: a.Question, Lang: a.Lang}
	for _, q := range a.Quotes {
		for _, s := range q.Sentences {
			req.Sources = append(req.Sources, Source{
				N: len(req.Sources) + 1, Doc: q.Doc.Short, Issued: q.Doc.Issued,
				Clause: q.Clause.Number, Title: q.Clause.Title, Text: s.Text,
			})
		}
	}
	req.Sources = append(req.Sources, laterSources(a, len(req.Sources)+1)...)
	if len(history) > maxHistory {
		history = history[len(history)-maxHistory:]
	}
	for _, m := range history {
		req.History = append(req.History, Message{Role: m.Role, Content: truncate(m.Content, maxHistoryRunes)})
	}
	return req
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// WithCitations renders a phrased body as plain text with the lines the
// extractive reply puts under its quote: the citation, and where they apply
// the not-stated note, the expiry warning, related clauses and the date of
// the notice.
func (r *Replies) WithCitations(a *Answer, body string) string {
	return body + "\n" + strings.Join(r.citationLines(a), "\n")
}

// citationLines are the lines of the extractive reply other than its
// quote: the registry's lines it would lead with, then those under the
// quote. They come from the parts Text is written from, so a phrased reply
// carries every line Text ever adds; the note that the quote's figures are
// stale goes with the quote.
func (r *Replies) citationLines(a *Answer) []string {
	p := r.parts(a)
	return slices.Concat(p.lead, p.rest)
}
