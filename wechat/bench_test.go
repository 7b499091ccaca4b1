package wechat

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkWeChatTurn measures one question through the channel, from
// WeChat's request to its reply over loopback HTTP: signature checked (and
// in safe mode the message decrypted, the reply encrypted), the MsgId
// claimed, the real engine's turn committed to SQLite, the follower's
// state and the reply saved. WeChat waits 5 s.
func BenchmarkWeChatTurn(b *testing.B) {
	for _, m := range []struct {
		name string
		safe bool
	}{{"plain", false}, {"safe", true}} {
		b.Run(m.name, func(b *testing.B) {
			w := newWorld(b, m.safe)
			ctx := testContext(b, 10*time.Minute)
			w.says(ctx, wang, "你好") // the follower's conversation exists, as it mostly will
			took := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				w.says(ctx, wang, "稳岗返还的比例是多少？")
				took = append(took, time.Since(start))
			}
			b.StopTimer()
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
