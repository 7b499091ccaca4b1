package web

import (
	"net/http"
	"strconv"
	"time"

	"policybot/bot"
	"policybot/kb"
	"policybot/staff"
)

// Limits of the console's lists.
const (
	maxConversations = 100
	topQuestions     = 15
	maxGaps          = 30
	recentLogins     = 15
	maxReportDays    = 90
)

// handleCheck is the eligibility checklist: the facts the operator has
// filled in so far, judged by the engine like any channel's. It is not
// logged: the form judges again at every change, and each is not a
// conversation. The reply's text is the script to read out.
func (c *console) handleCheck(w http.ResponseWriter, r *http.Request) {
	var req eligibilityRequest
	if err := decode(w, r, &req); err != nil {
		writeError(w, r, c.log, err)
		return
	}
	if req.Facts == nil {
		writeError(w, r, c.log, badRequest(`send {"facts": {…}}; GET /api/facts lists the keys`))
		return
	}
	reply, err := c.engine.Judge(r.Context(), req.Facts)
	if err != nil {
		writeError(w, r, c.log, engineError(err))
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

// conversationJSON is a conversation as the console lists it.
type conversationJSON struct {
	ID        string        `json:"id"`
	Channel   string        `json:"channel"`
	Started   string        `json:"started"`
	Updated   string        `json:"updated"`
	Turns     int           `json:"turns"`
	LastIn    string        `json:"last_in"`
	LastOut   string        `json:"last_out"`
	Status    string        `json:"status"`
	Results   []verdictJSON `json:"results"`
	Helpful   int           `json:"helpful"`
	Unhelpful int           `json:"unhelpful"`
}

// verdictJSON is a logged verdict with the names a person reads.
type verdictJSON struct {
	ID      string `json:"id"`
	Benefit string `json:"benefit"`
	Clause  string `json:"clause"`
	Status  string `json:"status"`
	Amount  string `json:"amount"`
}

func (c *console) handleConversations(w http.ResponseWriter, r *http.Request) {
	limit := intParam(r, "limit", 25, 1, maxConversations)
	list, err := c.cfg.Store.RecentConversations(r.Context(), limit)
	if err != nil {
		writeError(w, r, c.log, err)
		return
	}
	out := make([]conversationJSON, 0, len(list))
	for _, cs := range list {
		cj := conversationJSON{
			ID: cs.ID, Channel: cs.Channel, Started: c.stamp(cs.Started), Updated: c.stamp(cs.Updated),
			Turns: cs.Turns, LastIn: cs.LastIn, LastOut: cs.LastOut, Status: cs.Status,
			Results: []verdictJSON{}, Helpful: cs.Helpful, Unhelpful: cs.Unhelpful,
		}
		for _, v := range cs.Results {
			cj.Results = append(cj.Results, c.verdict(v))
		}
		out = append(out, cj)
	}
	writeJSON(w, http.StatusOK, map[string]any{"conversations": out})
}

// verdict names a logged verdict's benefit and clause from the corpus; the
// log keeps only their ids.
func (c *console) verdict(v bot.Verdict) verdictJSON {
	out := verdictJSON{ID: v.Benefit, Benefit: v.Benefit, Status: v.Status, Amount: v.Amount}
	if c.cfg.Search == nil {
		return out
	}
	corpus := c.cfg.Search.Corpus()
	if rs := corpus.Rules[v.Doc]; rs != nil {
		for _, rule := range rs.Rules {
			if rule.ID == v.Benefit {
				out.Benefit = rule.Name
			}
		}
	}
	if cl := corpus.Clause(kb.ClauseRef{Doc: v.Doc, Clause: v.Clause}); cl != nil {
		out.Clause = cl.Label + cl.Title
	}
	return out
}

// reportJSON is what GET /staff/api/report shows the people who run the
// service.
type reportJSON struct {
	Since     string         `json:"since"`
	Days      []string       `json:"days"` // every day of the period, oldest first
	Top       []questionJSON `json:"top"`
	Gaps      []gapJSON      `json:"gaps"`
	Volumes   []volumeJSON   `json:"volumes"`
	SignIns   []signInJSON   `json:"sign_ins"`
	Generated string         `json:"generated"`
}

type questionJSON struct {
	Text     string `json:"text"`
	Count    int    `json:"count"`
	NoAnswer int    `json:"no_answer"`
	Last     string `json:"last"`
}

type gapJSON struct {
	Turn      int64  `json:"turn"`
	Channel   string `json:"channel"`
	At        string `json:"at"`
	In        string `json:"in"`
	Out       string `json:"out"`
	Status    string `json:"status"`
	Unhelpful bool   `json:"unhelpful"`
}

type volumeJSON struct {
	Day           string `json:"day"`
	Channel       string `json:"channel"`
	Conversations int    `json:"conversations"`
	Turns         int    `json:"turns"`
}

type signInJSON struct {
	At      string `json:"at"`
	Name    string `json:"name"`
	Addr    string `json:"addr"`
	Outcome string `json:"outcome"`
}

func (c *console) handleReport(w http.ResponseWriter, r *http.Request) {
	days := intParam(r, "days", 14, 1, maxReportDays)
	now := c.now().In(c.cfg.Location)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, c.cfg.Location)
	since := midnight.AddDate(0, 0, 1-days)
	ctx := r.Context()
	top, err := c.cfg.Store.TopQuestions(ctx, since, topQuestions)
	if err != nil {
		writeError(w, r, c.log, err)
		return
	}
	gaps, err := c.cfg.Store.Gaps(ctx, since, maxGaps)
	if err != nil {
		writeError(w, r, c.log, err)
		return
	}
	vols, err := c.cfg.Store.Volumes(ctx, since, c.cfg.Location)
	if err != nil {
		writeError(w, r, c.log, err)
		return
	}
	logins, err := c.cfg.Store.RecentLogins(ctx, recentLogins)
	if err != nil {
		writeError(w, r, c.log, err)
		return
	}
	writeJSON(w, http.StatusOK, c.report(since, days, now, top, gaps, vols, logins))
}

func (c *console) report(since time.Time, days int, now time.Time, top []bot.FrequentQuestion, gaps []bot.Gap,
	vols []bot.Volume, logins []staff.Login) reportJSON {
	out := reportJSON{
		Since: c.stamp(since), Generated: c.stamp(now),
		Top: []questionJSON{}, Gaps: []gapJSON{}, Volumes: []volumeJSON{}, SignIns: []signInJSON{},
	}
	for d := range days {
		out.Days = append(out.Days, since.AddDate(0, 0, d).Format(time.DateOnly))
	}
	for _, q := range top {
		out.Top = append(out.Top, questionJSON{Text: q.Text, Count: q.Count, NoAnswer: q.NoAnswer, Last: c.stamp(q.Last)})
	}
	for _, g := range gaps {
		out.Gaps = append(out.Gaps, gapJSON{Turn: g.TurnID, Channel: g.Channel, At: c.stamp(g.At),
			In: g.In, Out: g.Out, Status: g.Status, Unhelpful: g.Unhelpful})
	}
	for _, v := range vols {
		out.Volumes = append(out.Volumes, volumeJSON(v))
	}
	for _, l := range logins {
		out.SignIns = append(out.SignIns, signInJSON{At: c.stamp(l.At), Name: l.Name, Addr: l.Addr, Outcome: string(l.Outcome)})
	}
	return out
}

// stamp is a time as the console shows it: RFC 3339 in the reports' zone.
func (c *console) stamp(t time.Time) string {
	return t.In(c.cfg.Location).Format(time.RFC3339)
}

// intParam reads a whole-number query parameter, clamped to [lo, hi].
func intParam(r *http.Request, key string, def, lo, hi int) int {
	n, err := strconv.Atoi(r.URL.Query().Get(key))
	if err != nil {
		return def
	}
	return min(max(n, lo), hi)
}
