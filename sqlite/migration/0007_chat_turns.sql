-- The turn whose state a channel's chat row holds. Two updates of one chat
-- handled at once (by two instances) can finish out of order; a save keeps
-- the row when it is already of the same conversation at a later turn, so
-- the earlier turn's buttons never replace the later one's. Turn ids grow
-- with each turn of a conversation (turns.id). Rows saved before count as
-- turn 0: the next save of their conversation replaces them, as before.
ALTER TABLE telegram_chats ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
ALTER TABLE wechat_chats ADD COLUMN turn INTEGER NOT NULL DEFAULT 0;
