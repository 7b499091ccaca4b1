package sqlite

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// userHash returns the form in which a user id is stored: hex
// HMAC-SHA256(UserKey, channel ":" userID). Channel user ids are small and
// guessable (a Telegram id is a number), so a plain hash could be reversed
// by trying them all; the key, kept outside the database, prevents that.
// An empty user id is stored empty.
func (db *DB) userHash(channel, userID string) string {
	if userID == "" {
		return ""
	}
	mac := hmac.New(sha256.New, db.userKey)
	mac.Write([]byte(channel + ":" + userID))
	return hex.EncodeToString(mac.Sum(nil))
}
