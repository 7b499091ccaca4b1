// Package wechat is the WeChat Official Account (公众号) channel: it
// carries the dialogue engine's turns to and from the followers of an
// account, as the passive replies of the message protocol, on the message
// types and crypto helpers of github.com/silenceper/wechat/v2.
//
// WeChat's server posts each message to the server URL and waits 5 seconds
// for the reply, then retries twice. Every request is signed with the
// account's token; in safe mode (安全模式) messages and replies are also
// encrypted with its EncodingAESKey. Each message is claimed by its MsgId
// in the Store with the reply it was given, so a retry is answered once and
// gets the same reply, also after a restart. Replies are plain text within
// WeChat's 2048 bytes, split between items with a note that 全部 shows the
// rest; options are numbered lines, and a reply of just the number chooses
// one.
//
// The SDK's own server (officialaccount/server) is not used: it reads the
// body without bound, tells a wrong signature from a malformed body only by
// its error's words, accepts a message in the clear when the account is in
// safe mode, logs through logrus, and panics when a reply cannot be
// written; and its handler gets no context and returns no error.
package wechat
