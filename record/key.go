package record

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
)

// MinKeyLen is the shortest key NewKey accepts: the output size of
// SHA-256, below which RFC 2104 discourages HMAC keys.
const MinKeyLen = 32

// Key is the HMAC-SHA256 key under which user ids are hashed. It must come
// from outside the database, be at least MinKeyLen random bytes, and stay
// the same across restarts and on every instance sharing a database, or a
// user's conversations can no longer be linked.
type Key struct{ k []byte }

// NewKey returns the key k (copied), or an error if it is too short.
func NewKey(k []byte) (*Key, error) {
	if len(k) < MinKeyLen {
		return nil, fmt.Errorf("user key has %d bytes, need at least %d", len(k), MinKeyLen)
	}
	return &Key{k: append([]byte(nil), k...)}, nil
}

// Hash returns the form in which an id is stored: hex HMAC-SHA256(key,
// scope ":" id). Channel user ids are small and guessable (a Telegram id is
// a number), so a plain hash could be reversed by trying them all; the
// key, kept outside the database, prevents that. The scope (a channel, or
// what the id is of) keeps equal ids of different kinds apart. An empty id
// is stored empty.
func (k *Key) Hash(scope, id string) string {
	if id == "" {
		return ""
	}
	mac := hmac.New(sha256.New, k.k)
	mac.Write([]byte(scope + ":" + id))
	return hex.EncodeToString(mac.Sum(nil))
}

// fingerprintScope is hashed under the key to name it: no user id is
// hashed in this scope, so the fingerprint reveals no hash of the log.
const fingerprintScope = "policybot-key-fingerprint"

// Fingerprint names the key without revealing it: the first 16 hex digits
// of its hash of a fixed string. The database keeps it, so that an
// instance started with another key is refused.
func (k *Key) Fingerprint() string { return k.Hash(fingerprintScope, "v1")[:16] }

// ErrKeyChanged means the database was first opened with another user key.
var ErrKeyChanged = errors.New("the user-id key is not the one this database was first opened with")

// CheckFingerprint compares the fingerprint a database keeps with the
// key's. Opened with another key, a store would hash the same people to
// new ids (on one instance of several, or after a key file was lost), so
// it refuses to start instead.
func (k *Key) CheckFingerprint(stored string) error {
	if stored == k.Fingerprint() {
		return nil
	}
	return fmt.Errorf("%w (the database keeps fingerprint %s, this key's is %s): every instance must be given the same key "+
		"(POLICYBOT_LOG_KEY, or the same log.key in the data folder); a new key would make the people in the log unlinkable",
		ErrKeyChanged, stored, k.Fingerprint())
}
