// Package record is what a store keeps of what the domain hands it, the
// same for every engine (package sqlite, package postgres): texts and
// string facts redacted, user and chat ids as keyed hashes, lists and facts
// as JSON, passwords as bcrypt hashes. The adapters only put it into SQL.
//
// What reaches a database of personal data: texts and string facts pass
// through package redact first, which takes out phone, ID, card, landline,
// QQ and WeChat numbers, e-mail addresses, and names and addresses after a
// cue word (its package comment lists what it does not catch: a name
// without a cue, for one); user and chat ids are stored as keyed hashes; a
// staff sign-in name only when it is an account's, any other as a keyed
// hash. The key lives outside the database; only its fingerprint is kept
// there, so that an instance started with another key is refused.
package record
