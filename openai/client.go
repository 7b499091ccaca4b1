package openai

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"strings"

	gopenai "github.com/sashabaranov/go-openai"

	"policybot/answers"
)

// Client is a model behind an OpenAI-compatible chat completions API. It is
// safe for concurrent use.
type Client struct {
	api      *gopenai.Client
	cfg      Config
	prompts  *answers.Prompts
	breaker  *breaker
	counters *Counters
}

// The answers layer's interfaces a Client implements.
var (
	_ answers.StreamPhraser = (*Client)(nil)
	_ answers.FactFiller    = (*Client)(nil)
)

// New returns a client of the configured model that asks what prompts say.
func New(cfg Config, prompts *answers.Prompts) (*Client, error) {
	if cfg.Model == "" {
		return nil, errors.New("new model client: no model named")
	}
	if prompts == nil {
		return nil, errors.New("new model client: no prompts")
	}
	cfg = cfg.withDefaults()
	api := gopenai.DefaultConfig(cfg.APIKey)
	api.BaseURL = cfg.BaseURL
	api.HTTPClient = headerDoer{next: cfg.HTTPClient, now: cfg.Now}
	return &Client{
		api: gopenai.NewClientWithConfig(api), cfg: cfg, prompts: prompts,
		breaker: newBreaker(cfg), counters: &Counters{},
	}, nil
}

// Counters are the client's counts, for /metrics; pass them as the
// Phrasing's Recorder so used and rejected answers are counted too.
func (c *Client) Counters() *Counters { return c.counters }

// Phrase asks the model to phrase an answer from its sources.
func (c *Client) Phrase(ctx context.Context, req answers.PhraseRequest) (answers.Phrased, error) {
	msgs, err := c.prompts.PhraseMessages(req)
	if err != nil {
		return answers.Phrased{}, err
	}
	var text string
	err = c.do(ctx, func(ctx context.Context) error {
		resp, err := c.api.CreateChatCompletion(ctx, c.request(msgs))
		if err != nil {
			return err
		}
		text, err = reply(resp)
		return err
	})
	if err != nil {
		return answers.Phrased{}, err
	}
	return answers.Phrased{Text: text, Cited: answers.CitedSources(text)}, nil
}

// PhraseStream is Phrase with the text yielded as the model writes it. The
// sequence ends with a non-nil error if the call fails, the stream breaks
// off, or the model stops without a finish reason.
func (c *Client) PhraseStream(ctx context.Context, req answers.PhraseRequest) iter.Seq2[string, error] {
	return func(yield func(string, error) bool) {
		msgs, err := c.prompts.PhraseMessages(req)
		if err != nil {
			yield("", err)
			return
		}
		if err := c.start(); err != nil {
			yield("", err)
			return
		}
		call, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
		defer cancel()
		info := &callInfo{}
		stream, err := c.api.CreateChatCompletionStream(withCallInfo(call, info), c.request(msgs))
		if err != nil {
			yield("", c.settle(ctx, call, info, err))
			return
		}
		defer stream.Close()
		var finish gopenai.FinishReason
		wrote := false
		for {
			chunk, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				err = streamEnd(wrote, finish)
				if err == nil {
					c.breaker.success()
					return
				}
			}
			if err != nil {
				yield("", c.settle(ctx, call, info, err))
				return
			}
			if len(chunk.Choices) == 0 {
				continue // a usage or filter chunk
			}
			choice := chunk.Choices[0]
			if choice.FinishReason != "" {
				finish = choice.FinishReason
			}
			if choice.Delta.Content == "" {
				continue
			}
			wrote = true
			if !yield(choice.Delta.Content, nil) {
				// The reader stopped (a sentence failed verification): the
				// model did its part.
				c.breaker.success()
				return
			}
		}
	}
}

// streamEnd says whether a stream that ended cleanly gave a whole answer.
func streamEnd(wrote bool, finish gopenai.FinishReason) error {
	switch {
	case finish == gopenai.FinishReasonLength:
		return errCutOff
	case finish == "":
		return errStreamCutOff
	case !wrote:
		return errNoText
	}
	return nil
}

// ProposeFacts asks the model for the facts the person's message states, as
// a JSON object of the schema's keys; answers.Verifier.Facts decides which
// to keep.
func (c *Client) ProposeFacts(ctx context.Context, req answers.FactRequest) (map[string]any, error) {
	msgs, err := c.prompts.FactMessages(req)
	if err != nil {
		return nil, err
	}
	r := c.request(msgs)
	r.ResponseFormat = factFormat(c.cfg.FactFormat, req.Schema)
	var facts map[string]any
	err = c.do(ctx, func(ctx context.Context) error {
		resp, err := c.api.CreateChatCompletion(ctx, r)
		if err != nil {
			return err
		}
		text, err := reply(resp)
		if err != nil {
			return err
		}
		facts, err = decodeFacts(text)
		return err
	})
	return facts, err
}

// decodeFacts reads a JSON object, keeping numbers exact, from a reply that
// may come wrapped in a Markdown code fence.
func decodeFacts(text string) (map[string]any, error) {
	text = strings.TrimSpace(text)
	if body, ok := strings.CutPrefix(text, "```"); ok {
		body = strings.TrimPrefix(body, "json")
		text = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(body), "```"))
	}
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var facts map[string]any
	if err := dec.Decode(&facts); err != nil {
		return nil, fmt.Errorf("facts reply: %w", err)
	}
	if facts == nil {
		return nil, fmt.Errorf("facts reply: %w", errNoText)
	}
	return facts, nil
}

// request is a chat completion request of the configured model.
func (c *Client) request(msgs []answers.Message) gopenai.ChatCompletionRequest {
	r := gopenai.ChatCompletionRequest{
		Model: c.cfg.Model, MaxCompletionTokens: c.cfg.MaxTokens, Temperature: c.cfg.Temperature,
	}
	for _, m := range msgs {
		r.Messages = append(r.Messages, gopenai.ChatCompletionMessage{Role: m.Role, Content: m.Content})
	}
	return r
}

// reply is the text of a completion's first choice.
func reply(resp gopenai.ChatCompletionResponse) (string, error) {
	if len(resp.Choices) == 0 {
		return "", errNoChoices
	}
	choice := resp.Choices[0]
	if choice.FinishReason == gopenai.FinishReasonLength {
		return "", errCutOff
	}
	if strings.TrimSpace(choice.Message.Content) == "" {
		return "", errNoText
	}
	return choice.Message.Content, nil
}

// do runs one call within the breaker and the call's deadline.
func (c *Client) do(ctx context.Context, op func(context.Context) error) error {
	if err := c.start(); err != nil {
		return err
	}
	call, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	info := &callInfo{}
	if err := op(withCallInfo(call, info)); err != nil {
		return c.settle(ctx, call, info, err)
	}
	c.breaker.success()
	return nil
}

// start counts a call, or refuses it while calls are paused.
func (c *Client) start() error {
	if !c.breaker.allow() {
		c.counters.fail(Paused)
		return &Error{Kind: Paused, Err: ErrPaused}
	}
	c.counters.calls.Add(1)
	return nil
}

// settle counts a failed call, tells the breaker, and says what failed.
func (c *Client) settle(parent, call context.Context, info *callInfo, err error) error {
	kind := classify(parent, call, err)
	c.counters.fail(kind)
	if kind == Canceled {
		c.breaker.release()
	} else if until := c.breaker.failure(info.retryAfter); !until.IsZero() {
		c.cfg.Logger.LogAttrs(parent, slog.LevelWarn, "model calls paused",
			slog.String("kind", string(kind)), slog.Time("until", until), slog.String("error", err.Error()))
	}
	return &Error{Kind: kind, RetryAfter: info.retryAfter, Err: err}
}
