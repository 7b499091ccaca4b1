package bot

// SessionState is what the engine remembers of a conversation, as tests
// see it: the facts known, those the person declined, the facts asked and
// the one waiting for an answer.
type SessionState struct {
	Facts    map[string]any
	Declined []string
	Asked    []string
	Pending  string
	Checking bool
}

// ReadState decodes a session's stored state, so tests can see the
// engine's memory without its JSON becoming a contract.
func ReadState(b []byte) (SessionState, error) {
	st, err := decodeState(b)
	if err != nil {
		return SessionState{}, err
	}
	return SessionState{Facts: st.Facts, Declined: st.Declined, Asked: st.Asked, Pending: st.Pending, Checking: st.Checking}, nil
}
