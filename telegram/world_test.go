package telegram

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"policybot/bot"
	"policybot/bot/bottest"
	"policybot/sqlite"
)

// today is the day the engine's answers and rules believe it is.
var today = bottest.Today

func TestMain(m *testing.M) {
	code := m.Run()
	bottest.Close()
	os.Exit(code)
}

// testContext ends with the test or after limit, so no test can hang.
func testContext(t testing.TB, limit time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	t.Cleanup(cancel)
	return ctx
}

// clock is the channel's clock in tests: real time plus whatever it was
// asked to sleep, which it does not. Rate limits and retry_after waits
// pass at once, and every wait asked for is kept.
type clock struct {
	mu     sync.Mutex
	ahead  time.Duration
	sleeps []time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.ahead)
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sleeps = append(c.sleeps, d)
	c.ahead += d
	return nil
}

// slept lists the waits asked for.
func (c *clock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// world is a real engine and SQLite file, the loopback Bot API, and the
// channel's clock.
type world struct {
	t      testing.TB
	api    *botAPI
	path   string
	db     *sqlite.DB
	engine *bot.Engine
	clock  *clock
}

func newWorld(t testing.TB) *world {
	w := &world{t: t, api: newBotAPI(t), path: filepath.Join(t.TempDir(), "policybot.db"), clock: &clock{}}
	w.open()
	return w
}

// open opens the database and builds the engine over it.
func (w *world) open() {
	t := w.t
	t.Helper()
	db := bottest.OpenDB(t, w.path)
	cfg := bottest.Config(t, today, db)
	cfg.Log = quietLog()
	e, err := bot.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	w.db, w.engine = db, e
}

// reopen closes the database and opens it again, with a new engine: a
// restart of the process.
func (w *world) reopen() {
	w.t.Helper()
	if err := w.db.Close(); err != nil {
		w.t.Fatal(err)
	}
	w.open()
}

// config is the channel's config against the loopback server.
func (w *world) config() Config {
	return Config{
		Token: w.api.token, APIURL: w.api.URL(), PollTimeout: 2 * time.Second,
		Now: w.clock.Now, Sleep: w.clock.Sleep, Log: quietLog(),
	}
}

// running is a channel started with Run.
type running struct {
	*Channel
	reg    *prometheus.Registry
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
}

// start builds a channel with the config, changed by configure, and runs
// it until the test ends.
func (w *world) start(configure ...func(*Config)) *running {
	w.t.Helper()
	return w.startWith(w.engine, configure...)
}

// startWith starts a channel on another engine.
func (w *world) startWith(e Engine, configure ...func(*Config)) *running {
	w.t.Helper()
	cfg := w.config()
	for _, f := range configure {
		f(&cfg)
	}
	ch, err := New(cfg, e, w.db)
	if err != nil {
		w.t.Fatal(err)
	}
	r := &running{Channel: ch, reg: prometheus.NewRegistry(), done: make(chan error, 1)}
	for _, c := range ch.Collectors() {
		r.reg.MustRegister(c)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		err := ch.Run(ctx)
		if err != nil {
			w.api.channelStopped(err)
		}
		r.done <- err
	}()
	w.t.Cleanup(func() { r.stop(w.t) })
	return r
}

// stop stops the channel and waits for Run to return.
func (r *running) stop(t testing.TB) {
	t.Helper()
	r.once.Do(func() {
		r.cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("Run did not return within 20s of being stopped")
		}
	})
}

// metric is the value of a counter the channel exports.
func (r *running) metric(t testing.TB, name string, labels ...string) float64 {
	t.Helper()
	families, err := r.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if hasLabels(m, labels) {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func hasLabels(m *dto.Metric, kv []string) bool {
	for i := 0; i+1 < len(kv); i += 2 {
		found := false
		for _, l := range m.GetLabel() {
			if l.GetName() == kv[i] && l.GetValue() == kv[i+1] {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func quietLog() *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

// person is someone writing to the bot.
type person struct {
	id   int64
	name string
	lang string // Telegram's language_code
}

var (
	wang  = person{id: 2000001, name: "小王", lang: "zh-hans"}
	alice = person{id: 2000002, name: "Alice", lang: "en"}
	li    = person{id: 2000003, name: "<b>李</b>", lang: "zh-hans"}
)

func (p person) user() *models.User {
	return &models.User{ID: p.id, FirstName: p.name, LanguageCode: p.lang}
}

func (p person) chat() models.Chat {
	return models.Chat{ID: p.id, Type: models.ChatTypePrivate, FirstName: p.name}
}

// group is a supergroup the bot is in.
var group = models.Chat{ID: -1001234567890, Type: models.ChatTypeSupergroup, Title: "就业政策交流群"}

// msgIDs numbers the messages people send.
var msgIDs struct {
	sync.Mutex
	next int
}

func nextMsgID() int {
	msgIDs.Lock()
	defer msgIDs.Unlock()
	msgIDs.next++
	return msgIDs.next
}

// says is an update with a text message from p in chat, with the entities
// Telegram would mark: commands and mentions.
func says(id int64, p person, chat models.Chat, text string) *models.Update {
	m := &models.Message{
		ID: nextMsgID(), Date: int(time.Now().Unix()), Chat: chat, From: p.user(), Text: text,
		Entities: entitiesOf(text),
	}
	return &models.Update{ID: id, Message: m}
}

// entitiesOf marks a leading command and @mentions as Telegram does.
func entitiesOf(text string) []models.MessageEntity {
	var out []models.MessageEntity
	if _, _, ok := commandOf(text); ok {
		word, _, _ := strings.Cut(text, " ")
		out = append(out, models.MessageEntity{Type: models.MessageEntityTypeBotCommand, Offset: 0, Length: units(word)})
	}
	for i := 0; i < len(text); i++ {
		if text[i] != '@' || (i > 0 && text[i-1] != ' ') {
			continue
		}
		j := i + 1
		for j < len(text) && (text[j] == '_' || text[j] >= 'a' && text[j] <= 'z' || text[j] >= 'A' && text[j] <= 'Z' || text[j] >= '0' && text[j] <= '9') {
			j++
		}
		if j > i+1 {
			out = append(out, models.MessageEntity{Type: models.MessageEntityTypeMention, Offset: units(text[:i]), Length: j - i})
		}
	}
	return out
}

// press is an update: p pressed the i-th button of message m.
func press(id int64, p person, m *models.Message, i int) *models.Update {
	var data string
	if m.ReplyMarkup != nil && i < len(m.ReplyMarkup.InlineKeyboard) {
		data = m.ReplyMarkup.InlineKeyboard[i][0].CallbackData
	}
	return &models.Update{ID: id, CallbackQuery: &models.CallbackQuery{
		ID: fmt.Sprintf("cq-%d", id), From: *p.user(), ChatInstance: "ci-1", Data: data,
		Message: models.MaybeInaccessibleMessage{Type: models.MaybeInaccessibleMessageTypeMessage, Message: m},
	}}
}
