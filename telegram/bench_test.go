package telegram

import (
	"testing"
	"time"
)

// BenchmarkTelegramTurn measures one question through the channel: the
// update long-polled from the loopback Bot API, claimed in SQLite, answered
// by the real engine, rendered and sent. Rate limits pass on the test
// clock, so this is the channel's own cost beside the engine's.
func BenchmarkTelegramTurn(b *testing.B) {
	ctx := testContext(b, 5*time.Minute)
	w := newWorld(b)
	w.start()
	id := int64(1)
	b.ResetTimer()
	for i := range b.N {
		w.api.push(says(id, wang, wang.chat(), "稳岗返还的比例是多少？"))
		id++
		w.api.waitSent(ctx, i+1)
	}
}
