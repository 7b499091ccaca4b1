package web

import (
	"net/http"

	"policybot/kb"
)

// factJSON is one fact of the schema as GET /api/facts lists it.
type factJSON struct {
	Key      string              `json:"key"`
	Name     string              `json:"name,omitempty"`
	NameEN   string              `json:"name_en,omitempty"`
	Type     kb.FactType         `json:"type"`
	Unit     string              `json:"unit,omitempty"`
	UnitEN   string              `json:"unit_en,omitempty"`
	Values   []choiceJSON        `json:"values,omitempty"`
	Question string              `json:"question"`
	English  string              `json:"english,omitempty"`
	Options  []choiceJSON        `json:"options,omitempty"`
	Phrases  map[string][]string `json:"recognise_phrases,omitempty"`
	Patterns []string            `json:"recognise_patterns,omitempty"`
}

type choiceJSON struct {
	Value   string `json:"value"`
	Label   string `json:"label"`
	LabelEN string `json:"label_en,omitempty"`
}

// Schema is what GET /api/facts serves.
type Schema interface{ Schema() *kb.FactSchema }

func (s *Server) handleFacts(w http.ResponseWriter, r *http.Request) {
	sch, ok := s.engine.(Schema)
	if !ok {
		writeError(w, r, s.log, &apiError{Status: http.StatusNotFound, Message: "no fact schema"})
		return
	}
	var out []factJSON
	for _, f := range sch.Schema().Facts {
		fj := factJSON{Key: f.Key, Name: f.Name, NameEN: f.NameEN, Type: f.Type, Unit: f.Unit, UnitEN: f.UnitEN, Question: f.Question, English: f.English, Phrases: f.Recognise.Phrases}
		for _, c := range f.Values {
			fj.Values = append(fj.Values, choiceJSON{c.Value, c.Label, c.LabelEN})
		}
		for _, c := range f.Options {
			fj.Options = append(fj.Options, choiceJSON{c.Value, c.Label, c.LabelEN})
		}
		for _, p := range f.Recognise.Patterns {
			fj.Patterns = append(fj.Patterns, p.String())
		}
		out = append(out, fj)
	}
	writeJSON(w, http.StatusOK, map[string]any{"facts": out})
}
