package web

import "net/http"

// mountWidget adds the embeddable chat widget (/widget.js) and the demo
// page (GET /).
func (s *Server) mountWidget(mux *http.ServeMux) {}
