package web

import "net/http"

// mountStaff adds the hotline staff console (/staff) and its APIs.
func (s *Server) mountStaff(mux *http.ServeMux) {}
