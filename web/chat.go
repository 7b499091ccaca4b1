package web

import (
	"context"
	"errors"
	"net/http"

	"policybot/bot"
)

// Engine is what the server needs of the dialogue engine.
type Engine interface {
	Handle(ctx context.Context, m bot.Message) (*bot.Reply, error)
	Eligibility(ctx context.Context, channel string, facts map[string]any) (*bot.Reply, error)
	Judge(ctx context.Context, facts map[string]any) (*bot.Reply, error)
	Feedback(ctx context.Context, session string, turnID int64, helpful bool) error
	Ping(ctx context.Context) error
}

// chatRequest is the body of POST /api/chat: text, or the value of a
// button, in a session (optional: omit it to start one).
type chatRequest struct {
	Session string `json:"session"`
	Text    string `json:"text"`
	Option  string `json:"option"`
}

// readChat decodes a chat request, answering the client itself when it
// cannot: false means the response is written.
func (s *Server) readChat(w http.ResponseWriter, r *http.Request) (chatRequest, bool) {
	var req chatRequest
	if err := decode(w, r, &req); err != nil {
		writeError(w, r, s.log, err)
		return req, false
	}
	if req.Text == "" && req.Option == "" {
		writeError(w, r, s.log, badRequest(`send "text" (the message) or "option" (a button's value)`))
		return req, false
	}
	return req, true
}

func (s *Server) handleChat(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readChat(w, r)
	if !ok {
		return
	}
	reply, err := s.engine.Handle(r.Context(), bot.Message{Session: req.Session, Channel: "web", Text: req.Text, Option: req.Option})
	if err != nil {
		writeError(w, r, s.log, engineError(err))
		return
	}
	s.metrics.Turns.WithLabelValues("web", string(reply.Status)).Inc()
	writeJSON(w, http.StatusOK, reply)
}

// engineError maps the engine's errors: a bad message is the client's.
func engineError(err error) error {
	if errors.Is(err, bot.ErrBadMessage) {
		return badRequest(err.Error())
	}
	return err
}

// eligibilityRequest is the body of POST /api/eligibility.
type eligibilityRequest struct {
	Facts map[string]any `json:"facts"`
}

func (s *Server) handleEligibility(w http.ResponseWriter, r *http.Request) {
	var req eligibilityRequest
	if err := decode(w, r, &req); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if req.Facts == nil {
		writeError(w, r, s.log, badRequest(`send {"facts": {…}}; GET /api/facts lists the keys`))
		return
	}
	reply, err := s.engine.Eligibility(r.Context(), "api", req.Facts)
	if err != nil {
		writeError(w, r, s.log, engineError(err))
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

// feedbackRequest is the body of POST /api/feedback: was this reply
// helpful? It names the session as well as the turn, and the two must
// belong together: turn ids are sequential, so a turn alone would let
// anyone rate any reply.
type feedbackRequest struct {
	Session string `json:"session"`
	Turn    int64  `json:"turn"`
	Helpful *bool  `json:"helpful"`
}

func (s *Server) handleFeedback(w http.ResponseWriter, r *http.Request) {
	var req feedbackRequest
	if err := decode(w, r, &req); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if req.Turn <= 0 || req.Helpful == nil || !bot.ValidSessionID(req.Session) {
		writeError(w, r, s.log, badRequest(`send {"session": the reply's session, "turn": its turn, "helpful": true or false}`))
		return
	}
	if err := s.engine.Feedback(r.Context(), req.Session, req.Turn, *req.Helpful); err != nil {
		if errors.Is(err, bot.ErrTurnNotFound) {
			err = &apiError{Status: http.StatusNotFound, Message: "no such turn in that session"}
		}
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
}
