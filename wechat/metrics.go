package wechat

import "github.com/prometheus/client_golang/prometheus"

// metrics are the channel's Prometheus series.
type metrics struct {
	messages *prometheus.CounterVec // by kind: what came in and what became of it
	retries  prometheus.Counter
	refused  *prometheus.CounterVec // by reason
	errors   *prometheus.CounterVec // by operation
}

func newMetrics() *metrics {
	return &metrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_wechat_messages_total",
			Help: "WeChat messages and events answered, by kind (text, option, more, voice, unheard, subscribe, event, other).",
		}, []string{"kind"}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "policybot_wechat_retries_total",
			Help: "WeChat messages received again (same MsgId) and given the reply of the first, not answered twice.",
		}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_wechat_refused_total",
			Help: "Requests to the WeChat path refused, by reason (signature, too_large, unreadable, malformed, undecryptable, no_key).",
		}, []string{"reason"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "policybot_wechat_errors_total",
			Help: "Failures of ours while answering WeChat, by operation (store, engine, busy, unanswered, reply).",
		}, []string{"op"}),
	}
}

func (m *metrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.messages, m.retries, m.refused, m.errors}
}
