package record

import "fmt"

// Chats is a channel's table of chats: for each chat (by its key's hash in
// Scope) the conversation it is in, and the channel's state after a turn.
type Chats struct {
	Table string // telegram_chats, wechat_chats
	Scope string // the key's hash scope
	Name  string // for errors: "telegram chat"
}

// The chat tables of the channels that keep one.
var (
	TelegramChats = Chats{Table: "telegram_chats", Scope: "telegram-chat", Name: "telegram chat"}
	WeChatChats   = Chats{Table: "wechat_chats", Scope: "wechat-chat", Name: "wechat chat"}
)

// Load is the query of a chat's conversation and state, with its one
// placeholder (the key's hash) written by ph.
func (c Chats) Load(ph func(n int) string) string {
	return fmt.Sprintf(`SELECT conversation_id, state FROM %s WHERE chat_hash = %s`, c.Table, ph(1))
}

// Save is the statement that records a chat's conversation and state after
// a turn (placeholders: hash, conversation, turn, state, updated). It
// replaces the row unless that is of the same conversation at a later
// turn: the update finishing last is not always the later one, as two
// instances (or two goroutines) may answer one chat out of order. A
// different conversation replaces, as the engine starts one only when the
// chat's own is gone.
func (c Chats) Save(ph func(n int) string) string {
	return fmt.Sprintf(`
		INSERT INTO %[1]s (chat_hash, conversation_id, turn, state, updated) VALUES (%[2]s, %[3]s, %[4]s, %[5]s, %[6]s)
		ON CONFLICT (chat_hash) DO UPDATE SET
			conversation_id = excluded.conversation_id, turn = excluded.turn,
			state = excluded.state, updated = excluded.updated
		WHERE %[1]s.conversation_id <> excluded.conversation_id OR %[1]s.turn <= excluded.turn`,
		c.Table, ph(1), ph(2), ph(3), ph(4), ph(5))
}
