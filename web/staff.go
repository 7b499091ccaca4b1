package web

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"policybot/bot"
	"policybot/kb"
	"policybot/retrieval"
	"policybot/staff"
)

// StaffConfig sets up the hotline staff console. Zero durations and
// counts take the defaults below.
type StaffConfig struct {
	Store       StaffStore
	Search      Searcher       // the notices, for the search box; nil: no search
	IdleTimeout time.Duration  // a session unused this long ends (30 minutes)
	MaxAge      time.Duration  // a session ends this long after sign-in, however used (12 hours)
	MaxFailures int            // failed sign-ins of one name within LockFor that lock it (5)
	LockFor     time.Duration  // how long failures count and a lock lasts (15 minutes)
	Location    *time.Location // the days and times of the reports (China Standard Time)
	// Today is the day answers treat as today (POLICYBOT_TODAY), on which
	// the policy update registry says what has ended; nil: the clock.
	Today func() time.Time
}

// Defaults of StaffConfig.
const (
	DefaultStaffIdle   = 30 * time.Minute
	DefaultStaffMaxAge = 12 * time.Hour
	DefaultMaxFailures = 5
	DefaultLockFor     = 15 * time.Minute
)

// addrFailuresFactor is how many more failures one client address may
// make than one name before it is locked out: it may be a shared office
// address, but it is also how one guesser tries many names.
const addrFailuresFactor = 4

// StaffStore keeps the operators' accounts and sessions and answers the
// console's reports. *sqlite.DB implements it.
type StaffStore interface {
	StaffAccounts
	Reports
}

// StaffAccounts are operator accounts, sessions and sign-in records.
type StaffAccounts interface {
	// CheckStaffPassword returns nil for the right password and an error
	// wrapping staff.ErrBadLogin for a wrong one or an unknown name.
	CheckStaffPassword(ctx context.Context, name, password string) error
	RecordLogin(ctx context.Context, l staff.Login) error
	LoginFailures(ctx context.Context, name, addr string, since time.Time) (staff.LoginFailures, error)
	RecentLogins(ctx context.Context, limit int) ([]staff.Login, error)
	StartStaffSession(ctx context.Context, s staff.Session, staleBefore time.Time) error
	// StaffSession returns an error wrapping staff.ErrSessionNotFound
	// for an unknown id.
	StaffSession(ctx context.Context, id string) (staff.Session, error)
	TouchStaffSession(ctx context.Context, id string, at time.Time) error
	EndStaffSession(ctx context.Context, id string) error
}

// Reports are what the conversation log tells the people who run the
// service.
type Reports interface {
	RecentConversations(ctx context.Context, limit int) ([]bot.ConversationSummary, error)
	TopQuestions(ctx context.Context, since time.Time, limit int) ([]bot.FrequentQuestion, error)
	Gaps(ctx context.Context, since time.Time, limit int) ([]bot.Gap, error)
	Volumes(ctx context.Context, since time.Time, loc *time.Location) ([]bot.Volume, error)
}

// Searcher finds the clauses of the notices that match a query.
// *retrieval.Retriever implements it.
type Searcher interface {
	Search(ctx context.Context, q string, limit int) (*retrieval.Result, error)
	Corpus() *kb.Corpus
}

// console is the staff console's handlers and what they share.
type console struct {
	cfg    StaffConfig
	engine Engine
	now    func() time.Time
	log    *slog.Logger
	login  *template.Template
	page   *template.Template
}

func newConsole(cfg StaffConfig, s *Server) *console {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultStaffIdle
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = DefaultStaffMaxAge
	}
	if cfg.MaxFailures <= 0 {
		cfg.MaxFailures = DefaultMaxFailures
	}
	if cfg.LockFor <= 0 {
		cfg.LockFor = DefaultLockFor
	}
	if cfg.Location == nil {
		// Chongqing's zone, fixed so that no tzdata is needed; China has
		// no daylight saving time.
		cfg.Location = time.FixedZone("CST", 8*3600)
	}
	return &console{
		cfg: cfg, engine: s.engine, now: s.cfg.Now, log: s.log,
		login: mustTemplate("login.html"), page: mustTemplate("staff.html"),
	}
}

// mountStaff adds the hotline staff console (/staff) and its APIs. Every
// route is behind Go's cross-origin protection, so no other site can make
// an operator's browser change anything; the pages and APIs also need a
// session.
func (s *Server) mountStaff(mux *http.ServeMux) {
	if s.cfg.Staff == nil || s.cfg.Staff.Store == nil {
		off := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "the staff console is not set up on this server", http.StatusNotFound)
		})
		mux.Handle("/staff", off)
		mux.Handle("/staff/", off)
		return
	}
	c := newConsole(*s.cfg.Staff, s)
	pages := http.NewServeMux()
	pages.HandleFunc("GET /staff", c.requirePage(c.handlePage))
	pages.HandleFunc("GET /staff/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/staff", http.StatusSeeOther)
	})
	pages.HandleFunc("GET /staff/login", c.handleLoginPage)
	pages.Handle("POST /staff/login", s.limit(http.HandlerFunc(c.handleLogin)))
	pages.HandleFunc("POST /staff/logout", c.handleLogout)

	api := http.NewServeMux()
	api.HandleFunc("GET /staff/api/me", c.handleMe)
	api.HandleFunc("GET /staff/api/search", c.handleSearch)
	api.HandleFunc("GET /staff/api/currency", c.handleCurrency)
	api.HandleFunc("POST /staff/api/check", c.handleCheck)
	api.HandleFunc("GET /staff/api/conversations", c.handleConversations)
	api.HandleFunc("GET /staff/api/report", c.handleReport)
	api.HandleFunc("/staff/api/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, errorBody{Error: "no such console API: " + r.Method + " " + r.URL.Path})
	})

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.log.Warn("staff: cross-origin request refused", "method", r.Method, "path", r.URL.Path,
			"origin", r.Header.Get("Origin"), "addr", clientAddr(r))
		writeJSON(w, http.StatusForbidden, errorBody{Error: "cross-origin request refused"})
	}))
	guard := func(name string, h http.Handler) http.Handler {
		return s.metrics.instrument(name, csrf.Handler(noStore(h)))
	}
	mux.Handle("/staff", guard("staff", pages))
	mux.Handle("/staff/", guard("staff", pages))
	mux.Handle("/staff/api/", guard("staff_api", c.requireAPI(api)))
}

// noStore keeps the console's pages and data out of caches: they show
// what citizens asked.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// handlePage serves the console itself; its script fetches the rest.
func (c *console) handlePage(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	writePage(w, http.StatusOK, c.page, map[string]string{"Name": sess.Name})
}
