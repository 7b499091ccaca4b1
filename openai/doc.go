// Package openai phrases policybot's answers, and reads facts from what
// people write, with a model behind an OpenAI-compatible chat completions
// API (OpenAI itself, or a local server that speaks the same protocol). It
// implements answers.Phraser, answers.StreamPhraser and answers.FactFiller
// with github.com/sashabaranov/go-openai.
//
// The model only rewords: package answers verifies every phrased answer
// against the sources it was given and sends the quoted answer instead when
// verification fails, the model fails, or the model is slow. This package
// keeps the model from slowing policybot down when it is unwell: each call
// has a deadline; after a few failures in a row it stops calling for a
// cool-down that doubles while the failures go on (one probe call is let
// through when it ends); a 429's Retry-After is honoured as a cool-down of
// its own. Counters say how often each of these happened.
//
// # Streaming
//
// PhraseStream yields the model's text as it arrives, and answers.Phrasing's
// Stream passes it on one sentence at a time, each only once it has been
// verified against the sources it cites; nothing unverified is ever shown.
// The alternative, showing the extractive answer first and the phrased one
// after it, would show every fact twice and make the reader wait for the
// second anyway. Streaming verified sentences gives the first sentence as
// soon as the model has written it, and a sentence that fails stops the
// stream: the reader gets the sentences already verified, then the quoted
// answer in full, so a stream never ends on an unchecked claim.
package openai
