package web

import (
	"encoding/json"
	"fmt"
	"net/http"

	"policybot/bot"
)

// handleChatStream is POST /api/chat as server-sent events, for clients
// that show a reply as it comes. With a model configured, each sentence of
// a phrased answer arrives as an event "piece" once it has been verified
// (a sentence that fails stops the phrasing and the quoted answer follows,
// so no unverified figure is ever shown); the event "reply" then carries
// the whole reply, the same JSON /api/chat returns, sent only after the
// turn is committed. Without a model there are no pieces, only the reply.
// A request refused before anything was sent gets the JSON error /api/chat
// would give; a failure after that is an event "error".
func (s *Server) handleChatStream(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readChat(w, r)
	if !ok {
		return
	}
	ev := &eventWriter{w: w}
	m := bot.Message{Session: req.Session, Channel: "web", Text: req.Text, Option: req.Option,
		Stream: func(piece string) error { return ev.send("piece", map[string]string{"text": piece}) }}
	reply, err := s.engine.Handle(r.Context(), m)
	switch {
	case err != nil && !ev.started:
		writeError(w, r, s.log, engineError(err))
	case err != nil:
		s.log.Error("streamed chat failed", "err", err)
		ev.send("error", errorBody{Error: "the reply could not be completed; please send the message again"})
	default:
		s.metrics.Turns.WithLabelValues("web", string(reply.Status)).Inc()
		ev.send("reply", reply)
	}
}

// eventWriter writes server-sent events, starting the stream (status and
// headers) with the first event.
type eventWriter struct {
	w       http.ResponseWriter
	started bool
}

func (e *eventWriter) send(event string, v any) error {
	if !e.started {
		h := e.w.Header()
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no") // nginx: pass events on at once
		e.w.WriteHeader(http.StatusOK)
		e.started = true
	}
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s event: %w", event, err)
	}
	// JSON has no raw newlines, so one data line carries it.
	if _, err := fmt.Fprintf(e.w, "event: %s\ndata: %s\n\n", event, data); err != nil {
		return fmt.Errorf("send %s event: %w", event, err)
	}
	if err := http.NewResponseController(e.w).Flush(); err != nil {
		return fmt.Errorf("flush %s event: %w", event, err)
	}
	return nil
}
