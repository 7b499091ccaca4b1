// Package reading is the reading stage: it turns a message into a reading —
// what the message asks the engine to do, whether it asks about the notice,
// the facts the person asserts about themselves (each with its value,
// whether it came from a denial, how sure it is, the words it came from and
// what read it), the facts it only names, and its language. The dialogue
// (package bot) acts on readings and never reads text itself.
//
// Everything the stage knows about language is data: corpus/reading.yaml
// holds what applies to every fact (negation cues and their scope in the
// manner of NegEx, hedges, question marks and words, subjects, numbers,
// dates, yes and no, intents); corpus/facts.yaml holds what reveals each
// fact (phrases, patterns, the people an employer hires, dated events,
// durations). A model, when configured, reads only what the rules could
// not, into the same reading.
package reading
