//go:build unix

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"policybot/postgres/pgtest"
)

// The tests of several serve processes on one PostgreSQL database.

// sharedKey is the user key every instance is given (POLICYBOT_LOG_KEY).
const sharedKey = "5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a"

// startInstances starts n serve processes on the database at dbURL, each
// with its own data folder (its index), all with the shared key.
func startInstances(t *testing.T, dbURL string, n int, env ...string) []*server {
	t.Helper()
	var out []*server
	for range n {
		e := append([]string{"POLICYBOT_DATABASE_URL=" + dbURL, "POLICYBOT_LOG_KEY=" + sharedKey}, env...)
		out = append(out, launchServer(t, t.TempDir(), e...))
	}
	for _, s := range out {
		s.waitListening(t)
	}
	return out
}

// dialogue holds one conversation, sending each message to the instance
// pick chooses, and returns what each reply said.
func dialogue(t *testing.T, pick func(step int) *server) []string {
	t.Helper()
	var said []string
	r := pick(0).chat(t, map[string]any{"text": "我们公司今年招了三个应届生，能享受哪些政策？"})
	session := r.Session
	for step := 1; step <= 8; step++ {
		said = append(said, fmt.Sprintf("%s|%s|%v", r.Status, r.Reply, r.Question != nil))
		msg := map[string]any{"session": session, "text": "灵活就业社保补贴怎么算？"}
		if r.Question != nil && len(r.Question.Options) > 0 {
			msg = map[string]any{"session": session, "option": r.Question.Options[0].Value}
		}
		r = pick(step).chat(t, msg)
		if r.Session != session {
			t.Fatalf("step %d: the conversation moved from session %s to %s", step, session, r.Session)
		}
	}
	return append(said, fmt.Sprintf("%s|%s", r.Status, r.Reply))
}

// TestInstancesShareConversations: a conversation whose messages alternate
// between two instances goes exactly as one held with a single instance.
func TestInstancesShareConversations(t *testing.T) {
	s := startInstances(t, pgtest.Database(t), 2)
	alone := dialogue(t, func(int) *server { return s[0] })
	alternating := dialogue(t, func(step int) *server { return s[step%2] })
	if len(alone) != len(alternating) {
		t.Fatalf("%d replies alone, %d alternating", len(alone), len(alternating))
	}
	for i := range alone {
		if alone[i] != alternating[i] {
			t.Errorf("reply %d\nalone:       %s\nalternating: %s", i, alone[i], alternating[i])
		}
	}
}

// TestInstancesLockOutTogether: five failed sign-ins of one name, spread
// over two instances, lock it at both.
func TestInstancesLockOutTogether(t *testing.T) {
	s := startInstances(t, pgtest.Database(t), 2, "POLICYBOT_STAFF_PASSWORD=correct horse battery")
	signIn := func(s *server, password string) int {
		t.Helper()
		form := url.Values{"username": {"admin"}, "password": {password}}
		client := &http.Client{Timeout: 20 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		res, err := client.PostForm(s.url+"/staff/login", form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	for i := range 5 {
		if code := signIn(s[i%2], "wrong password"); code != http.StatusUnauthorized {
			t.Fatalf("failed sign-in %d at instance %d: %d, want 401", i+1, i%2, code)
		}
	}
	for i, inst := range s {
		if code := signIn(inst, "correct horse battery"); code != http.StatusTooManyRequests {
			t.Errorf("the right password at instance %d after five failures at both: %d, want 429", i, code)
		}
	}
}

// TestInstancesRefuseAnotherKey: an instance given another user key than
// the database's refuses to start, saying which setting to align.
func TestInstancesRefuseAnotherKey(t *testing.T) {
	db := pgtest.Database(t)
	startInstances(t, db, 1)
	other := launchServer(t, t.TempDir(), "POLICYBOT_DATABASE_URL="+db, "POLICYBOT_LOG_KEY="+strings.Repeat("a5", 32))
	select {
	case err := <-other.done:
		other.exited = true
		if err == nil || !strings.Contains(other.stderr.String(), "POLICYBOT_LOG_KEY") {
			t.Errorf("an instance with another key: exit %v\n%s", err, other.stderr)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("an instance with another key did not stop")
	}
}

// botAPI is a loopback Telegram Bot API: it answers every method and
// records the messages sent.
type botAPI struct {
	*httptest.Server
	mu   sync.Mutex
	sent []string // the text of each sendMessage
}

func newBotAPI(t *testing.T) *botAPI {
	api := &botAPI{}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch path.Base(r.URL.Path) {
		case "getMe":
			io.WriteString(w, `{"ok":true,"result":{"id":1,"is_bot":true,"first_name":"Policy","username":"policy_test_bot"}}`)
		case "sendMessage":
			r.ParseMultipartForm(1 << 20)
			api.mu.Lock()
			api.sent = append(api.sent, r.FormValue("text"))
			api.mu.Unlock()
			io.WriteString(w, `{"ok":true,"result":{"message_id":7,"date":0,"chat":{"id":4242,"type":"private"}}}`)
		case "getUpdates":
			select { // a long poll with no news
			case <-r.Context().Done():
			case <-time.After(300 * time.Millisecond):
			}
			io.WriteString(w, `{"ok":true,"result":[]}`)
		default:
			io.WriteString(w, `{"ok":true,"result":true}`)
		}
	}))
	t.Cleanup(api.Close)
	return api
}

func (a *botAPI) sentCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.sent)
}

// TestInstancesAnswerAnUpdateOnce: the same Telegram update posted to the
// webhooks of two instances at once is answered once.
func TestInstancesAnswerAnUpdateOnce(t *testing.T) {
	api := newBotAPI(t)
	s := startInstances(t, pgtest.Database(t), 2,
		"TELEGRAM_BOT_TOKEN=1:token", "TELEGRAM_API_URL="+api.URL,
		"TELEGRAM_WEBHOOK_URL=https://bot.example.org/telegram/webhook", "TELEGRAM_WEBHOOK_SECRET=right-secret")
	post := func(s *server, id int, text string) {
		update := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1700000000,
			"chat":{"id":4242,"type":"private"},"from":{"id":4242,"is_bot":false,"first_name":"Li","language_code":"zh"},
			"text":%q}}`, id, id, text)
		req, _ := http.NewRequest(http.MethodPost, s.url+"/telegram/webhook", strings.NewReader(update))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "right-secret")
		res, err := httpClient.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Errorf("webhook: %d", res.StatusCode)
		}
	}
	waitSent := func(n int) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for api.sentCount() < n {
			if time.Now().After(deadline) {
				t.Fatalf("%d messages sent within 30 s, want %d", api.sentCount(), n)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	for round, text := range []string{"稳岗返还的比例是多少？", "灵活就业社保补贴怎么算？", "你好"} {
		var wg sync.WaitGroup
		for _, inst := range s {
			wg.Go(func() { post(inst, 9000+round, text) })
		}
		wg.Wait()
		waitSent(round + 1)
	}
	time.Sleep(time.Second) // time for a second answer, were one coming
	if n := api.sentCount(); n != 3 {
		t.Errorf("three updates, each posted to both instances: %d messages sent, want 3", n)
	}
}

// TestInstancesOnePoller: a second instance asked to long poll Telegram
// with the same database refuses to start, saying to use the webhook.
func TestInstancesOnePoller(t *testing.T) {
	api := newBotAPI(t)
	db := pgtest.Database(t)
	env := []string{"TELEGRAM_BOT_TOKEN=1:token", "TELEGRAM_API_URL=" + api.URL}
	startInstances(t, db, 1, env...)
	second := launchServer(t, t.TempDir(), append([]string{"POLICYBOT_DATABASE_URL=" + db, "POLICYBOT_LOG_KEY=" + sharedKey}, env...)...)
	select {
	case err := <-second.done:
		second.exited = true
		if err == nil || !strings.Contains(second.stderr.String(), "TELEGRAM_WEBHOOK_URL") {
			t.Errorf("a second poller: exit %v\n%s", err, second.stderr)
		}
	case <-time.After(90 * time.Second):
		t.Fatal("a second poller started")
	}
}

// TestInstancesKillNine: under load spread over two instances, one is
// killed with SIGKILL; every turn a client got a reply for is in the
// database, and the other instance goes on answering, the killed one's
// conversations included.
func TestInstancesKillNine(t *testing.T) {
	dbURL := pgtest.Database(t)
	s := startInstances(t, dbURL, 2)
	msgs := []map[string]any{
		{"text": "我们公司今年招了三个应届生，有什么补贴？"}, {"option": "small"}, {"text": "都满半年了"},
		{"text": "我们一共二十个人"}, {"option": "skip"}, {"text": "灵活就业社保补贴怎么算？"},
	}
	var (
		mu          sync.Mutex
		got         []answered
		afterKill   int
		killed      = make(chan struct{})
		wg          sync.WaitGroup
		ctx, cancel = context.WithTimeout(context.Background(), 2*time.Minute)
	)
	defer cancel()
	for c := range 8 {
		wg.Go(func() {
			session := ""
			for i := 0; i < 100 && ctx.Err() == nil; i++ {
				inst := s[(c+i)%2]
				select {
				case <-killed:
					inst = s[1]
				default:
				}
				msg := map[string]any{"session": session}
				for k, v := range msgs[i%len(msgs)] {
					msg[k] = v
				}
				r, err := inst.post(msg)
				if err != nil {
					if inst == s[1] {
						t.Errorf("the surviving instance failed: %v", err)
						return
					}
					continue // the killed one: the next message goes to the other
				}
				mu.Lock()
				got = append(got, answered{r.Session, r.Turn, string(r.Status), r.Reply})
				select {
				case <-killed:
					afterKill++
				default:
				}
				mu.Unlock()
				session = r.Session
			}
		})
	}
	for {
		mu.Lock()
		n := len(got)
		mu.Unlock()
		if n >= 300 || ctx.Err() != nil {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := s[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	close(killed)
	waitTimeout(t, &wg, 2*time.Minute)
	if afterKill < 100 {
		t.Errorf("%d replies from the surviving instance after the kill, want it to go on answering", afterKill)
	}
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, a := range got {
		var session, status, out string
		err := conn.QueryRow(ctx, `SELECT conversation_id, status, text_out FROM turns WHERE id = $1`, a.turn).Scan(&session, &status, &out)
		if err != nil {
			t.Errorf("turn %d of session %s, answered, is not in the database: %v", a.turn, a.session, err)
			continue
		}
		if session != a.session || status != a.status || out != a.reply {
			t.Errorf("turn %d stored as %s %s %q; answered as %s %s %q", a.turn, session, status, out, a.session, a.status, a.reply)
		}
	}
	t.Logf("%d replies, %d of them after the kill, all in the database", len(got), afterKill)
}

// TestInstancesSurviveDatabaseRestart: while the database is down, chat
// requests get a clean 503 with a JSON message and /healthz answers 503;
// once it is back, both instances answer again by themselves.
func TestInstancesSurviveDatabaseRestart(t *testing.T) {
	cluster, err := pgtest.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cluster.Stop() })
	dbURL := pgtest.NewDatabase(t, cluster.URL("postgres"))
	s := startInstances(t, dbURL, 2)
	codes := map[int]int{}
	var mu sync.Mutex
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code, body := postRaw(t, s[(c+i)%2], `{"text":"稳岗返还的比例是多少？"}`)
				mu.Lock()
				codes[code]++
				mu.Unlock()
				if code != http.StatusOK && (code != http.StatusServiceUnavailable || !strings.Contains(body, `"error"`)) {
					t.Errorf("during the restart: %d %s; want 200, or 503 with a message", code, body)
				}
			}
		})
	}
	time.Sleep(500 * time.Millisecond)
	if err := cluster.StopServer(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second)
	for i, inst := range s {
		if code, body := inst.healthz(t); code != http.StatusServiceUnavailable {
			t.Errorf("instance %d /healthz with the database down: %d %s, want 503", i, code, body)
		}
	}
	if err := cluster.StartServer(); err != nil {
		t.Fatal(err)
	}
	for i, inst := range s {
		deadline := time.Now().Add(30 * time.Second)
		for {
			code, _ := inst.healthz(t)
			if code == http.StatusOK {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("instance %d unhealthy 30 s after the database came back", i)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if r := inst.chat(t, map[string]any{"text": "灵活就业社保补贴怎么算？"}); r.Reply == "" {
			t.Errorf("instance %d after the restart: %+v", i, r)
		}
	}
	close(stop)
	waitTimeout(t, &wg, time.Minute)
	if codes[http.StatusServiceUnavailable] == 0 || codes[http.StatusOK] == 0 {
		t.Errorf("status codes during the restart: %v; want both 200 and 503", codes)
	}
	t.Logf("status codes during the restart: %v", codes)
}

// postRaw posts a chat body and returns the status and body.
func postRaw(t *testing.T, s *server, body string) (int, string) {
	res, err := httpClient.Post(s.url+"/api/chat", "application/json", strings.NewReader(body))
	if err != nil {
		t.Errorf("POST /api/chat: %v", err)
		return 0, ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	var v map[string]any
	if json.Unmarshal(b, &v) != nil {
		return res.StatusCode, "not JSON: " + string(b)
	}
	return res.StatusCode, string(b)
}
