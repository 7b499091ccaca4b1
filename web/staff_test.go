package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"policybot/staff"
	"policybot/web"
)

// staffClient is a browser stand-in: it keeps cookies and does not follow
// redirects, so tests see them.
func staffClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// do sends a request and returns the response with its body read.
func do(t *testing.T, c *http.Client, method, u string, body io.Reader, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(b)
}

// signIn posts the sign-in form.
func signIn(t *testing.T, c *http.Client, r *rig, name, password string, header map[string]string) (*http.Response, string) {
	t.Helper()
	form := url.Values{"username": {name}, "password": {password}}
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for k, v := range header {
		h[k] = v
	}
	return do(t, c, http.MethodPost, r.srv.URL+"/staff/login", strings.NewReader(form.Encode()), h)
}

// mustSignIn signs in as admin and fails the test unless that works.
func mustSignIn(t *testing.T, c *http.Client, r *rig) {
	t.Helper()
	res, body := signIn(t, c, r, "admin", rigPassword, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staff" {
		t.Fatalf("sign-in: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), body)
	}
}

// TestStaffNeedsSession checks that without a session the console page
// sends the visitor to sign in and every console API answers 401.
func TestStaffNeedsSession(t *testing.T) {
	r := newRig(t, rigOptions{})
	c := staffClient(t)
	res, _ := do(t, c, http.MethodGet, r.srv.URL+"/staff", nil, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staff/login" {
		t.Errorf("GET /staff: %d, Location %q; want 303 to /staff/login", res.StatusCode, res.Header.Get("Location"))
	}
	apis := []struct{ method, path, body string }{
		{"GET", "/staff/api/me", ""},
		{"GET", "/staff/api/search?q=吸纳就业补贴", ""},
		{"POST", "/staff/api/check", `{"facts":{"role":"employer"}}`},
		{"GET", "/staff/api/conversations", ""},
		{"GET", "/staff/api/report?days=7", ""},
		{"GET", "/staff/api/no-such-thing", ""},
		{"DELETE", "/staff/api/me", ""},
	}
	for _, a := range apis {
		res, body := do(t, c, a.method, r.srv.URL+a.path, strings.NewReader(a.body), map[string]string{"Content-Type": "application/json"})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "/staff/login") {
			t.Errorf("%s %s without a session: %d %s; want 401", a.method, a.path, res.StatusCode, body)
		}
	}
	// A made-up cookie is no session either.
	u, _ := url.Parse(r.srv.URL + "/staff")
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "policybot_staff", Value: "forged", Path: "/staff"}})
	if res, _ := do(t, c, http.MethodGet, r.srv.URL+"/staff/api/me", nil, nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged cookie: %d, want 401", res.StatusCode)
	}
}

// TestStaffSignIn checks the form: a right password starts a session with
// a cookie the page's scripts cannot read; a wrong one or an unknown name
// gets the same refusal and no cookie.
func TestStaffSignIn(t *testing.T) {
	r := newRig(t, rigOptions{})
	t.Run("form", func(t *testing.T) {
		res, body := do(t, staffClient(t), http.MethodGet, r.srv.URL+"/staff/login", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, `name="username"`) || !strings.Contains(body, `name="password"`) ||
			!strings.Contains(res.Header.Get("Content-Security-Policy"), "script-src 'self'") {
			t.Errorf("sign-in page: %d, CSP %q\n%s", res.StatusCode, res.Header.Get("Content-Security-Policy"), body)
		}
	})
	t.Run("refused", func(t *testing.T) {
		var bodies []string
		for _, name := range []string{"admin", "nobody"} {
			res, body := signIn(t, staffClient(t), r, name, "not the password", nil)
			if res.StatusCode != http.StatusUnauthorized || len(res.Cookies()) != 0 || !strings.Contains(body, "用户名或密码不对") {
				t.Errorf("%s with a wrong password: %d, cookies %v", name, res.StatusCode, res.Cookies())
			}
			bodies = append(bodies, strings.Replace(body, name, "NAME", 1))
		}
		if bodies[0] != bodies[1] {
			t.Error("a wrong password and an unknown name are told apart")
		}
	})
	t.Run("accepted", func(t *testing.T) {
		c := staffClient(t)
		res, _ := signIn(t, c, r, " Admin ", rigPassword, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staff" {
			t.Fatalf("sign-in: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		ck := sessionCookie(t, res)
		if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/staff" || ck.Secure || len(ck.Value) < 40 {
			t.Errorf("cookie %+v: want HttpOnly, SameSite=Strict, Path=/staff, a long random value", ck)
		}
		res, body := do(t, c, http.MethodGet, r.srv.URL+"/staff", nil, nil)
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "资格核对") || res.Header.Get("Content-Security-Policy") == "" ||
			res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("console page: %d, CSP %q, Cache-Control %q", res.StatusCode, res.Header.Get("Content-Security-Policy"), res.Header.Get("Cache-Control"))
		}
		var me struct{ Name string }
		getJSON(t, c, r.srv.URL+"/staff/api/me", &me)
		if me.Name != "admin" {
			t.Errorf("me = %+v", me)
		}
		// Signed in, the form sends the operator on to the console.
		if res, _ := do(t, c, http.MethodGet, r.srv.URL+"/staff/login", nil, nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("sign-in page when signed in: %d, want 303", res.StatusCode)
		}
	})
	t.Run("secure behind https", func(t *testing.T) {
		res, _ := signIn(t, staffClient(t), r, "admin", rigPassword, map[string]string{"X-Forwarded-Proto": "https"})
		if ck := sessionCookie(t, res); !ck.Secure {
			t.Errorf("cookie over https is not Secure: %+v", ck)
		}
	})
	logins, err := r.db.RecentLogins(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []string
	for _, l := range logins {
		outcomes = append(outcomes, l.Name+":"+string(l.Outcome))
	}
	if got, want := strings.Join(outcomes, " "), "admin:ok admin:ok :failed admin:failed"; got != want { // "nobody" is no account: not kept
		t.Errorf("logged sign-ins, newest first: %s; want %s", got, want)
	}
}

func sessionCookie(t *testing.T, res *http.Response) *http.Cookie {
	t.Helper()
	for _, ck := range res.Cookies() {
		if ck.Name == "policybot_staff" {
			return ck
		}
	}
	t.Fatalf("no session cookie in %v", res.Header["Set-Cookie"])
	return nil
}

func getJSON(t *testing.T, c *http.Client, u string, v any) {
	t.Helper()
	res, body := do(t, c, http.MethodGet, u, nil, nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, res.StatusCode, body)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v\n%s", u, err, body)
	}
}

// TestStaffNewSessionEachSignIn checks that signing in again replaces the
// browser's session instead of keeping its token (session fixation), and
// leaves other browsers signed in.
func TestStaffNewSessionEachSignIn(t *testing.T) {
	r := newRig(t, rigOptions{})
	a, b := staffClient(t), staffClient(t)
	mustSignIn(t, b, r)
	res, _ := signIn(t, a, r, "admin", rigPassword, nil)
	first := sessionCookie(t, res)
	res, _ = signIn(t, a, r, "admin", rigPassword, nil)
	second := sessionCookie(t, res)
	if first.Value == second.Value {
		t.Fatal("a second sign-in kept the session token")
	}
	old := staffClient(t)
	u, _ := url.Parse(r.srv.URL + "/staff")
	old.Jar.SetCookies(u, []*http.Cookie{first})
	if res, _ := do(t, old, http.MethodGet, r.srv.URL+"/staff/api/me", nil, nil); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the replaced session still works: %d", res.StatusCode)
	}
	for name, c := range map[string]*http.Client{"signed in again": a, "other browser": b} {
		if res, _ := do(t, c, http.MethodGet, r.srv.URL+"/staff/api/me", nil, nil); res.StatusCode != http.StatusOK {
			t.Errorf("%s: %d, want 200", name, res.StatusCode)
		}
	}
}

// TestStaffLockout checks that repeated failures lock a name, even against
// the right password, until the window has passed; that one address
// trying many names is locked too; and that every attempt is logged.
func TestStaffLockout(t *testing.T) {
	r := newRig(t, rigOptions{})
	for i := range web.DefaultMaxFailures {
		if res, _ := signIn(t, staffClient(t), r, "admin", "guess "+strconv.Itoa(i), nil); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: %d", i+1, res.StatusCode)
		}
		r.clock.Advance(time.Minute)
	}
	res, body := signIn(t, staffClient(t), r, "admin", rigPassword, nil)
	if res.StatusCode != http.StatusTooManyRequests || len(res.Cookies()) != 0 || !strings.Contains(body, "分钟后再试") {
		t.Fatalf("right password while locked: %d, cookies %v", res.StatusCode, res.Cookies())
	}
	// Locked until the first failure, 5 minutes ago, is 15 minutes old.
	if got := res.Header.Get("Retry-After"); got != "600" {
		t.Errorf("Retry-After = %q, want 600", got)
	}
	r.clock.Advance(10 * time.Minute)
	mustSignIn(t, staffClient(t), r)

	logins, err := r.db.RecentLogins(t.Context(), 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []staff.LoginOutcome{staff.LoginOK, staff.LoginLocked, staff.LoginFailed, staff.LoginFailed}
	for i, w := range want {
		if logins[i].Outcome != w || logins[i].Name != "admin" || logins[i].Addr != "127.0.0.1" {
			t.Errorf("sign-in %d (newest first): %+v, want %s", i, logins[i], w)
		}
	}

	t.Run("one address, many names", func(t *testing.T) {
		r := newRig(t, rigOptions{staff: func(c *web.StaffConfig) { c.MaxFailures = 2 }})
		for i := range 8 { // four times a name's limit
			signIn(t, staffClient(t), r, "user"+strconv.Itoa(i), "wrong password", nil)
		}
		if res, _ := signIn(t, staffClient(t), r, "admin", rigPassword, nil); res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("after 8 failures from one address: %d, want 429", res.StatusCode)
		}
	})
}

// TestStaffCrossOrigin checks that no other site can make a signed-in
// operator's browser change anything: sign in, run a check, sign out.
func TestStaffCrossOrigin(t *testing.T) {
	r := newRig(t, rigOptions{})
	c := staffClient(t)
	mustSignIn(t, c, r)
	check := strings.NewReader(`{"facts":{"role":"employer"}}`)
	attacks := []struct {
		name, method, path string
		header             map[string]string
	}{
		{"sign-in from another site", "POST", "/staff/login", map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"check from another site", "POST", "/staff/api/check", map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"check from a sibling subdomain", "POST", "/staff/api/check", map[string]string{"Sec-Fetch-Site": "same-site"}},
		{"check from an old browser elsewhere", "POST", "/staff/api/check", map[string]string{"Origin": "https://evil.example"}},
		{"sign-out from another site", "POST", "/staff/logout", map[string]string{"Sec-Fetch-Site": "cross-site"}},
	}
	for _, a := range attacks {
		h := map[string]string{"Content-Type": "application/json"}
		for k, v := range a.header {
			h[k] = v
		}
		if res, body := do(t, c, a.method, r.srv.URL+a.path, check, h); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d %s; want 403", a.name, res.StatusCode, body)
		}
	}
	res, body := do(t, c, http.MethodPost, r.srv.URL+"/staff/api/check", strings.NewReader(`{"facts":{"role":"employer"}}`),
		map[string]string{"Content-Type": "application/json", "Sec-Fetch-Site": "same-origin", "Origin": r.srv.URL})
	if res.StatusCode != http.StatusOK {
		t.Errorf("check from the console itself: %d %s", res.StatusCode, body)
	}
	if res, _ := do(t, c, http.MethodGet, r.srv.URL+"/staff/api/me", nil, nil); res.StatusCode != http.StatusOK {
		t.Errorf("the refused sign-out signed the operator out: %d", res.StatusCode)
	}
}

// TestStaffTimeouts checks the idle and absolute timeouts on the server's
// clock, and signing out.
func TestStaffTimeouts(t *testing.T) {
	me := func(r *rig, c *http.Client) int {
		res, _ := do(t, c, http.MethodGet, r.srv.URL+"/staff/api/me", nil, nil)
		return res.StatusCode
	}
	t.Run("idle", func(t *testing.T) {
		r := newRig(t, rigOptions{})
		c := staffClient(t)
		mustSignIn(t, c, r)
		r.clock.Advance(web.DefaultStaffIdle - time.Minute)
		if got := me(r, c); got != http.StatusOK {
			t.Fatalf("used within the idle timeout: %d", got)
		}
		r.clock.Advance(web.DefaultStaffIdle - time.Minute) // idle again, but counted from the last use
		if got := me(r, c); got != http.StatusOK {
			t.Fatalf("used again within the idle timeout: %d", got)
		}
		r.clock.Advance(web.DefaultStaffIdle + time.Second)
		if got := me(r, c); got != http.StatusUnauthorized {
			t.Errorf("after %s idle: %d, want 401", web.DefaultStaffIdle, got)
		}
		if res, _ := do(t, c, http.MethodGet, r.srv.URL+"/staff", nil, nil); res.StatusCode != http.StatusSeeOther {
			t.Errorf("console page after the idle timeout: %d, want 303", res.StatusCode)
		}
	})
	t.Run("absolute", func(t *testing.T) {
		r := newRig(t, rigOptions{staff: func(c *web.StaffConfig) { c.MaxAge = 2 * time.Hour }})
		c := staffClient(t)
		mustSignIn(t, c, r)
		for range 5 { // busy all along: 100 minutes
			r.clock.Advance(20 * time.Minute)
			if got := me(r, c); got != http.StatusOK {
				t.Fatalf("within the absolute timeout: %d", got)
			}
		}
		r.clock.Advance(21 * time.Minute)
		if got := me(r, c); got != http.StatusUnauthorized {
			t.Errorf("121 minutes after sign-in, busy all along: %d, want 401", got)
		}
	})
	t.Run("sign out", func(t *testing.T) {
		r := newRig(t, rigOptions{})
		c := staffClient(t)
		mustSignIn(t, c, r)
		res, _ := do(t, c, http.MethodPost, r.srv.URL+"/staff/logout", nil, nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/staff/login" {
			t.Errorf("sign-out: %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if got := me(r, c); got != http.StatusUnauthorized {
			t.Errorf("after signing out: %d, want 401", got)
		}
	})
}

// TestStaffConsoleAPIs checks what the console shows: a search hit with
// the matching sentence and its words marked, the checklist's verdicts
// and script, a web conversation in the recent list, and the report.
func TestStaffConsoleAPIs(t *testing.T) {
	r := newRig(t, rigOptions{})
	c := staffClient(t)
	mustSignIn(t, c, r)

	var found struct {
		Hits []struct {
			Clause    int
			Title     string
			Best      int
			Sentences []struct {
				Hit   bool
				Parts []struct {
					Text string
					Mark bool
				}
			}
		}
	}
	getJSON(t, c, r.srv.URL+"/staff/api/search?q="+url.QueryEscape("一次性吸纳就业补贴"), &found)
	if len(found.Hits) == 0 || found.Hits[0].Title != "降低企业用工成本" {
		t.Fatalf("search hits: %+v", found.Hits)
	}
	best := found.Hits[0].Sentences[found.Hits[0].Best]
	var marked []string
	var text strings.Builder
	for _, p := range best.Parts {
		text.WriteString(p.Text)
		if p.Mark {
			marked = append(marked, p.Text)
		}
	}
	if !best.Hit || !strings.Contains(text.String(), "2000元/人") || !containsString(marked, "一次性吸纳就业补贴") {
		t.Errorf("best sentence %q, marked %q", text.String(), marked)
	}
	if res, _ := do(t, c, http.MethodGet, r.srv.URL+"/staff/api/search?q=", nil, nil); res.StatusCode != http.StatusBadRequest {
		t.Errorf("empty search: %d, want 400", res.StatusCode)
	}

	res, body := do(t, c, http.MethodPost, r.srv.URL+"/staff/api/check",
		strings.NewReader(`{"facts":{"role":"employer","employer_type":"enterprise","enterprise_size":"small","graduates_hired":3,"graduates_stayed_6m":true}}`),
		map[string]string{"Content-Type": "application/json"})
	var reply struct {
		Status  string
		Reply   string
		Results []struct{ ID, Status, Amount string }
	}
	if err := json.Unmarshal([]byte(body), &reply); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("check: %d %s", res.StatusCode, body)
	}
	var subsidy string
	for _, v := range reply.Results {
		if v.ID == "one_off_hiring_subsidy" {
			subsidy = v.Status + " " + v.Amount
		}
	}
	if reply.Status != "result" || subsidy != "eligible 6000元（2000元/人）" || !strings.Contains(reply.Reply, "一次性吸纳就业补贴") {
		t.Errorf("check: status %s, hiring subsidy %q, script:\n%s", reply.Status, subsidy, reply.Reply)
	}
	res, body = do(t, c, http.MethodPost, r.srv.URL+"/staff/api/check", strings.NewReader(`{"facts":{"age":"old"}}`),
		map[string]string{"Content-Type": "application/json"})
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "age") {
		t.Errorf("a bad fact: %d %s; want 400 naming it", res.StatusCode, body)
	}

	res, body = do(t, http.DefaultClient, http.MethodPost, r.srv.URL+"/api/chat", strings.NewReader(`{"text":"招用高校毕业生有什么补贴"}`), nil)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("chat: %d %s", res.StatusCode, body)
	}
	var recent struct {
		Conversations []struct {
			Channel string
			LastIn  string `json:"last_in"`
			Status  string
			Results []struct{ Benefit, Clause, Status string }
		}
	}
	getJSON(t, c, r.srv.URL+"/staff/api/conversations", &recent)
	// The checklist judges at every change and is not logged; the chat is.
	if len(recent.Conversations) != 1 {
		t.Fatalf("recent conversations: %+v", recent.Conversations)
	}
	if chat := recent.Conversations[0]; chat.Channel != "web" || chat.LastIn != "招用高校毕业生有什么补贴" || chat.Status != "answered" {
		t.Errorf("newest conversation: %+v", chat)
	}

	var rep struct {
		Days    []string
		Top     []struct{ Text string }
		Volumes []struct {
			Channel string
			Turns   int
		}
		SignIns []struct{ Name, Outcome string } `json:"sign_ins"`
	}
	getJSON(t, c, r.srv.URL+"/staff/api/report?days=7", &rep)
	if len(rep.Days) != 7 || len(rep.Top) == 0 || len(rep.Volumes) != 1 || len(rep.SignIns) != 1 || rep.SignIns[0].Outcome != "ok" {
		t.Errorf("report: %+v", rep)
	}
}

func containsString(xs []string, x string) bool {
	for _, s := range xs {
		if s == x {
			return true
		}
	}
	return false
}

// TestStaffNotSetUp checks that a server without a console says so.
func TestStaffNotSetUp(t *testing.T) {
	srv := web.New(web.Config{}, nil)
	for _, p := range []string{"/staff", "/staff/login", "/staff/api/me"} {
		rec := httpGet(srv.Handler(), p)
		if rec.Code != http.StatusNotFound {
			t.Errorf("%s without a console: %d, want 404", p, rec.Code)
		}
	}
}

func httpGet(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}
