package telegram

import "github.com/prometheus/client_golang/prometheus"

// metrics are the channel's Prometheus series.
type metrics struct {
	updates    *prometheus.CounterVec // by kind: what came in and what became of it
	duplicates prometheus.Counter
	sent       *prometheus.CounterVec // successful Bot API calls, by method
	limited    *prometheus.CounterVec // 429s, by method
	errors     *prometheus.CounterVec // by operation and reason
}

func newMetrics() *metrics {
	return &metrics{
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_telegram_updates_total",
			Help: "Telegram updates received, by kind (message, command, callback, media, edited, unaddressed, other).",
		}, []string{"kind"}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "policybot_telegram_duplicate_updates_total",
			Help: "Telegram updates received again (duplicates, redeliveries) and not answered twice.",
		}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_telegram_api_calls_total",
			Help: "Successful Bot API calls by method (sendMessage counts messages sent).",
		}, []string{"method"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_telegram_rate_limited_total",
			Help: "Bot API answers 429 Too Many Requests, by method; each is retried after retry_after.",
		}, []string{"method"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_telegram_errors_total",
			Help: "Failures by operation and reason (outage: 5xx or unreachable, retried; refused: 4xx; failed: ours).",
		}, []string{"op", "reason"}),
	}
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.updates, m.duplicates, m.sent, m.limited, m.errors}
}
