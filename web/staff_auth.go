package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"policybot/staff"
)

// staffCookie holds an operator's session token. The database keeps only
// its hash.
const staffCookie = "policybot_staff"

// touchEvery is how stale a session's last-seen time may get before a
// request updates it: the idle timeout is counted to within this, and a
// busy console does not write on every request.
const touchEvery = time.Minute

type sessionKey struct{}

// sessionOf is the session requireAPI or requirePage found for r.
func sessionOf(r *http.Request) staff.Session {
	s, _ := r.Context().Value(sessionKey{}).(staff.Session)
	return s
}

// requirePage sends a visitor without a session to the sign-in form.
func (c *console) requirePage(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, ok, err := c.session(w, r)
		if err != nil {
			writeError(w, r, c.log, err)
			return
		}
		if !ok {
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)))
	}
}

// requireAPI answers 401 to a request without a session.
func (c *console) requireAPI(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, ok, err := c.session(w, r)
		if err != nil {
			writeError(w, r, c.log, err)
			return
		}
		if !ok {
			writeJSON(w, http.StatusUnauthorized, errorBody{Error: "sign in at /staff/login first"})
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess)))
	})
}

// session returns the live session of the request's cookie. A session
// past its idle or absolute timeout is ended and its cookie cleared.
func (c *console) session(w http.ResponseWriter, r *http.Request) (staff.Session, bool, error) {
	ck, err := r.Cookie(staffCookie)
	if err != nil || ck.Value == "" {
		return staff.Session{}, false, nil
	}
	id := tokenHash(ck.Value)
	sess, err := c.cfg.Store.StaffSession(r.Context(), id)
	if errors.Is(err, staff.ErrSessionNotFound) {
		clearCookie(w, r)
		return staff.Session{}, false, nil
	}
	if err != nil {
		return staff.Session{}, false, err
	}
	now := c.now()
	if idle, age := now.Sub(sess.Seen), now.Sub(sess.Started); idle > c.cfg.IdleTimeout || age > c.cfg.MaxAge {
		c.log.Info("staff session expired", "name", sess.Name, "idle", idle.Round(time.Second).String(), "age", age.Round(time.Second).String())
		clearCookie(w, r)
		return staff.Session{}, false, c.cfg.Store.EndStaffSession(r.Context(), id)
	}
	if now.Sub(sess.Seen) >= touchEvery {
		if err := c.cfg.Store.TouchStaffSession(r.Context(), id, now); err != nil {
			return staff.Session{}, false, err
		}
	}
	return sess, true, nil
}

// loginForm is what the sign-in page shows.
type loginForm struct {
	Name  string
	Error string
}

func (c *console) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	if _, ok, _ := c.session(w, r); ok {
		http.Redirect(w, r, "/staff", http.StatusSeeOther)
		return
	}
	writePage(w, http.StatusOK, c.login, loginForm{})
}

// maxLoginForm bounds the sign-in form's body.
const maxLoginForm = 8 << 10

// handleLogin checks a sign-in. Unless the name or the address is locked
// out, the password is checked; a success starts a new session (never
// reusing the one the browser had) and every attempt is recorded.
func (c *console) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginForm)
	if err := r.ParseForm(); err != nil {
		writePage(w, http.StatusBadRequest, c.login, loginForm{Error: "表单无法读取，请重试。"})
		return
	}
	name := typedName(r.PostForm.Get("username"))
	password := r.PostForm.Get("password")
	attempt := staff.Login{At: c.now(), Name: name, Addr: clientAddr(r)}
	if wait, err := c.lockedFor(r.Context(), attempt); err != nil {
		writeError(w, r, c.log, err)
		return
	} else if wait > 0 {
		attempt.Outcome = staff.LoginLocked
		c.record(r.Context(), attempt)
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		msg := fmt.Sprintf("登录失败次数过多，请 %d 分钟后再试。", int(math.Ceil(wait.Minutes())))
		writePage(w, http.StatusTooManyRequests, c.login, loginForm{Name: name, Error: msg})
		return
	}
	err := c.cfg.Store.CheckStaffPassword(r.Context(), name, password)
	if errors.Is(err, staff.ErrBadLogin) {
		attempt.Outcome = staff.LoginFailed
		c.record(r.Context(), attempt)
		writePage(w, http.StatusUnauthorized, c.login, loginForm{Name: name, Error: "用户名或密码不对。"})
		return
	}
	if err != nil {
		writeError(w, r, c.log, err)
		return
	}
	if err := c.startSession(w, r, name, attempt.At); err != nil {
		writeError(w, r, c.log, err)
		return
	}
	attempt.Outcome = staff.LoginOK
	c.record(r.Context(), attempt)
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
}

// typedName is the name as accounts spell it, cut to a length worth
// logging.
func typedName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) > 64 {
		s = s[:64]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return s
}

// lockedFor says how long sign-ins of the attempt's name or from its
// address stay refused: once MaxFailures failures of a name (or
// addrFailuresFactor times as many from an address) fall within LockFor,
// until the oldest of them leaves it.
func (c *console) lockedFor(ctx context.Context, a staff.Login) (time.Duration, error) {
	f, err := c.cfg.Store.LoginFailures(ctx, a.Name, a.Addr, a.At.Add(-c.cfg.LockFor))
	if err != nil {
		return 0, err
	}
	var wait time.Duration
	for _, l := range []struct {
		times []time.Time
		max   int
	}{{f.Name, c.cfg.MaxFailures}, {f.Addr, c.cfg.MaxFailures * addrFailuresFactor}} {
		if len(l.times) >= l.max {
			wait = max(wait, l.times[len(l.times)-l.max].Add(c.cfg.LockFor).Sub(a.At))
		}
	}
	return wait, nil
}

// record logs a sign-in attempt in the database and the server log. A
// failure to record is logged, not shown: the sign-in itself was decided.
func (c *console) record(ctx context.Context, a staff.Login) {
	// The name is logged only for a success: a failed one may be a phone
	// number or a password typed into the wrong field.
	if a.Outcome == staff.LoginOK {
		c.log.Info("staff sign-in", "name", a.Name, "addr", a.Addr, "outcome", string(a.Outcome))
	} else {
		c.log.Warn("staff sign-in", "addr", a.Addr, "outcome", string(a.Outcome))
	}
	if err := c.cfg.Store.RecordLogin(ctx, a); err != nil {
		c.log.Error("record staff sign-in", "err", err)
	}
}

// startSession ends the session the browser brought, if any, and starts
// a new one under a fresh token.
func (c *console) startSession(w http.ResponseWriter, r *http.Request, name string, now time.Time) error {
	if ck, err := r.Cookie(staffCookie); err == nil && ck.Value != "" {
		if err := c.cfg.Store.EndStaffSession(r.Context(), tokenHash(ck.Value)); err != nil {
			return err
		}
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw) // crypto/rand never fails on supported systems
	token := base64.RawURLEncoding.EncodeToString(raw)
	sess := staff.Session{ID: tokenHash(token), Name: name, Started: now, Seen: now, Addr: clientAddr(r)}
	if err := c.cfg.Store.StartStaffSession(r.Context(), sess, now.Add(-c.cfg.MaxAge)); err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{
		Name: staffCookie, Value: token, Path: "/staff",
		HttpOnly: true, Secure: isHTTPS(r), SameSite: http.SameSiteStrictMode,
	})
	return nil
}

func (c *console) handleLogout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(staffCookie); err == nil && ck.Value != "" {
		if err := c.cfg.Store.EndStaffSession(r.Context(), tokenHash(ck.Value)); err != nil {
			writeError(w, r, c.log, err)
			return
		}
	}
	clearCookie(w, r)
	http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
}

func clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: staffCookie, Value: "", Path: "/staff", MaxAge: -1,
		HttpOnly: true, Secure: isHTTPS(r), SameSite: http.SameSiteStrictMode,
	})
}

// tokenHash is the stored id of a session token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// isHTTPS reports whether the browser reached the server over HTTPS,
// directly or through a proxy that says so.
func isHTTPS(r *http.Request) bool {
	return r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// handleMe says who is signed in and when the session ends at the latest.
func (c *console) handleMe(w http.ResponseWriter, r *http.Request) {
	sess := sessionOf(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"name":    sess.Name,
		"started": sess.Started.In(c.cfg.Location).Format(time.RFC3339),
		"ends":    sess.Started.Add(c.cfg.MaxAge).In(c.cfg.Location).Format(time.RFC3339),
		"idle":    int(c.cfg.IdleTimeout.Seconds()),
	})
}
