// Package bot is the dialogue engine every channel uses. It tells a
// question about the notice (answered as "ask" does) from a wish to know
// what one qualifies for, a reply to its last question, a correction, a
// request to start over or to talk to a person; it reads facts from free
// text, asks only the follow-up questions it needs, and ends with a verdict
// per benefit. Every turn is committed to the Store before it is returned.
package bot
