package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// botAPI is a loopback Bot API server: it speaks the wire protocol of
// api.telegram.org (POST /bot<token>/<method>, parameters as multipart or
// URL-encoded form or JSON, answers {"ok":true,"result":…} or
// {"ok":false,"error_code":…,"description":…,"parameters":…}) and checks
// what it is sent as Telegram does: HTML that parses, messages within 4096
// characters, callback data within 64 bytes, commands that are valid.
type botAPI struct {
	t     testing.TB
	srv   *httptest.Server
	token string
	me    models.User

	mu       sync.Mutex
	changed  chan struct{}             // closed and replaced at every call and push
	calls    []apiCall                 // every call, in order
	updates  []*models.Update          // waiting for getUpdates until confirmed
	again    []*models.Update          // delivered once more whatever the offset
	scripted map[string][]scriptedFail // answers to give a method before serving it
	chats    map[int64]models.Chat     // every chat an update came from
	messages map[int]*models.Message   // every message sent or received, by id
	nextMsg  int
	stopped  error // the channel's Run returned this early: stop waiting
}

// apiCall is one request the server answered.
type apiCall struct {
	method string
	params map[string]string
	status int // the HTTP status answered
	result json.RawMessage
}

// scriptedFail is an answer given instead of serving a call.
type scriptedFail struct {
	status int
	body   string
}

const testToken = "123456789:TEST-token_for-loopback"

func newBotAPI(t testing.TB) *botAPI {
	a := &botAPI{
		t: t, token: testToken, changed: make(chan struct{}),
		me:       models.User{ID: 123456789, IsBot: true, FirstName: "Policy Bot", Username: "policybot_test_bot"},
		scripted: map[string][]scriptedFail{}, chats: map[int64]models.Chat{}, messages: map[int]*models.Message{},
		nextMsg: 5000,
	}
	a.srv = httptest.NewServer(http.HandlerFunc(a.serve))
	t.Cleanup(a.srv.Close)
	return a
}

// URL is the server's address, for Config.APIURL.
func (a *botAPI) URL() string { return a.srv.URL }

// wake tells waiters something happened; the caller holds mu.
func (a *botAPI) wake() {
	close(a.changed)
	a.changed = make(chan struct{})
}

// tooMany makes the next call of method answer 429 with retry_after.
func (a *botAPI) tooMany(method string, retryAfter int) {
	a.script(method, http.StatusTooManyRequests, fmt.Sprintf(
		`{"ok":false,"error_code":429,"description":"Too Many Requests: retry after %d","parameters":{"retry_after":%d}}`,
		retryAfter, retryAfter))
}

// down makes the next n calls of method fail as an unwell Bot API does:
// the proxy in front of it answers with an HTML page.
func (a *botAPI) down(method string, status, n int) {
	for range n {
		a.script(method, status, "<html><body><h1>"+strconv.Itoa(status)+" "+http.StatusText(status)+"</h1></body></html>")
	}
}

func (a *botAPI) script(method string, status int, body string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.scripted[method] = append(a.scripted[method], scriptedFail{status, body})
}

// push queues updates for getUpdates, as Telegram receives them.
func (a *botAPI) push(us ...*models.Update) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, u := range us {
		a.note(u)
		a.updates = append(a.updates, u)
	}
	a.wake()
}

// channelStopped tells waiters the channel they wait on has stopped.
func (a *botAPI) channelStopped(err error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.stopped = err
	a.wake()
}

// redeliver delivers updates once more even though they were confirmed:
// Telegram lost the confirmation, or sent the update twice.
func (a *botAPI) redeliver(us ...*models.Update) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.again = append(a.again, us...)
	a.wake()
}

// know makes the server aware of an update it did not deliver itself (one
// posted to the webhook), as Telegram knows every chat.
func (a *botAPI) know(u *models.Update) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.note(u)
}

// note remembers the chats and messages of an update; the caller holds mu.
func (a *botAPI) note(u *models.Update) {
	for _, m := range []*models.Message{u.Message, u.EditedMessage} {
		if m != nil {
			a.chats[m.Chat.ID] = m.Chat
			a.messages[m.ID] = m
		}
	}
	if q := u.CallbackQuery; q != nil && q.Message.Message != nil {
		a.chats[q.Message.Message.Chat.ID] = q.Message.Message.Chat
	}
}

// waitFor waits until cond, called with mu held, holds; it fails the test
// when ctx ends first.
func (a *botAPI) waitFor(ctx context.Context, what string, cond func() bool) {
	a.t.Helper()
	for {
		a.mu.Lock()
		ok, ch, stopped := cond(), a.changed, a.stopped
		a.mu.Unlock()
		if ok {
			return
		}
		if stopped != nil {
			a.t.Fatalf("waiting for %s: the channel stopped: %v\ncalls so far:\n%s", what, stopped, a.trace())
		}
		select {
		case <-ch:
		case <-ctx.Done():
			a.t.Fatalf("waiting for %s: %v\ncalls so far:\n%s", what, ctx.Err(), a.trace())
		}
	}
}

// trace lists the calls made, for failure messages.
func (a *botAPI) trace() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var b strings.Builder
	for _, c := range a.calls {
		if c.method == "getUpdates" && c.status == http.StatusOK && string(c.result) == "[]" {
			continue
		}
		text := c.params["text"]
		if len([]rune(text)) > 80 {
			text = string([]rune(text)[:80]) + "…"
		}
		fmt.Fprintf(&b, "  %s %d %q\n", c.method, c.status, text)
	}
	return b.String()
}

// served lists the calls of a method that succeeded.
func (a *botAPI) served(method string) []apiCall {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.servedLocked(method)
}

func (a *botAPI) servedLocked(method string) []apiCall {
	var out []apiCall
	for _, c := range a.calls {
		if c.method == method && c.status == http.StatusOK {
			out = append(out, c)
		}
	}
	return out
}

// attempts counts the calls of a method, failed or not.
func (a *botAPI) attempts(method string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.attemptsLocked(method)
}

func (a *botAPI) attemptsLocked(method string) int {
	n := 0
	for _, c := range a.calls {
		if c.method == method {
			n++
		}
	}
	return n
}

// waitSent waits until n messages have been sent in all, and returns them.
func (a *botAPI) waitSent(ctx context.Context, n int) []*models.Message {
	a.t.Helper()
	a.waitFor(ctx, fmt.Sprintf("%d messages sent", n), func() bool { return len(a.servedLocked("sendMessage")) >= n })
	return a.sent()
}

// sent are the messages sent, as Telegram keeps them now (edits applied).
func (a *botAPI) sent() []*models.Message {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []*models.Message
	for _, c := range a.servedLocked("sendMessage") {
		var m models.Message
		if err := json.Unmarshal(c.result, &m); err != nil {
			a.t.Fatal(err)
		}
		out = append(out, a.messages[m.ID])
	}
	return out
}

// serve answers one Bot API request.
func (a *botAPI) serve(w http.ResponseWriter, r *http.Request) {
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+a.token+"/")
	switch {
	case !strings.HasPrefix(r.URL.Path, "/bot"):
		a.reply(w, http.StatusNotFound, `{"ok":false,"error_code":404,"description":"Not Found"}`)
		return
	case !ok:
		a.reply(w, http.StatusUnauthorized, `{"ok":false,"error_code":401,"description":"Unauthorized"}`)
		return
	case r.Method != http.MethodPost && r.Method != http.MethodGet:
		a.reply(w, http.StatusMethodNotAllowed, `{"ok":false,"error_code":405,"description":"Method Not Allowed"}`)
		return
	}
	params, err := readParams(r)
	if err != nil {
		a.mu.Lock()
		a.calls = append(a.calls, apiCall{method: method, status: http.StatusBadRequest})
		a.wake()
		a.mu.Unlock()
		a.reply(w, http.StatusBadRequest, fmt.Sprintf(`{"ok":false,"error_code":400,"description":%q}`, "Bad Request: "+err.Error()))
		return
	}
	a.mu.Lock()
	if s := a.scripted[method]; len(s) > 0 {
		a.scripted[method] = s[1:]
		a.calls = append(a.calls, apiCall{method: method, params: params, status: s[0].status})
		a.wake()
		a.mu.Unlock()
		a.reply(w, s[0].status, s[0].body)
		return
	}
	a.mu.Unlock()
	var result any
	status, desc := http.StatusOK, ""
	if method == "getUpdates" {
		result = a.getUpdates(r.Context(), params)
	} else {
		a.mu.Lock()
		result, desc = a.call(method, params)
		a.mu.Unlock()
		if desc != "" {
			status = http.StatusBadRequest
			if strings.HasPrefix(desc, "Not Found") {
				status = http.StatusNotFound
			}
		}
	}
	raw, _ := json.Marshal(result)
	a.mu.Lock()
	a.calls = append(a.calls, apiCall{method: method, params: params, status: status, result: raw})
	a.wake()
	a.mu.Unlock()
	if status != http.StatusOK {
		a.reply(w, status, fmt.Sprintf(`{"ok":false,"error_code":%d,"description":%q}`, status, desc))
		return
	}
	a.reply(w, status, `{"ok":true,"result":`+string(raw)+`}`)
}

func (a *botAPI) reply(w http.ResponseWriter, status int, body string) {
	if strings.HasPrefix(body, "{") {
		w.Header().Set("Content-Type", "application/json")
	} else {
		w.Header().Set("Content-Type", "text/html")
	}
	w.WriteHeader(status)
	io.WriteString(w, body)
}

// readParams reads a method's parameters the three ways Telegram takes
// them; JSON values other than strings are kept as JSON text, as a form
// field would carry them.
func readParams(r *http.Request) (map[string]string, error) {
	out := map[string]string{}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "multipart/form-data":
		// A method without parameters comes as an empty body.
		body, err := io.ReadAll(r.Body)
		if err != nil || len(body) == 0 {
			return out, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			return nil, err
		}
		for k, v := range r.MultipartForm.Value {
			out[k] = v[0]
		}
	case "application/x-www-form-urlencoded", "":
		if err := r.ParseForm(); err != nil {
			return nil, err
		}
		for k, v := range r.Form {
			out[k] = v[0]
		}
	case "application/json":
		var m map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
			return nil, err
		}
		for k, v := range m {
			var s string
			if json.Unmarshal(v, &s) == nil {
				out[k] = s
			} else {
				out[k] = string(v)
			}
		}
	default:
		return nil, fmt.Errorf("unsupported content type %s", ct)
	}
	return out, nil
}

// getUpdates answers a long poll: the updates from offset on, at once if
// there are any, else whatever arrives within timeout seconds. An offset
// confirms, and forgets, every update before it.
func (a *botAPI) getUpdates(ctx context.Context, p map[string]string) []*models.Update {
	offset, _ := strconv.ParseInt(p["offset"], 10, 64)
	timeout, _ := strconv.Atoi(p["timeout"])
	deadline := time.After(time.Duration(timeout) * time.Second)
	for {
		a.mu.Lock()
		kept := a.updates[:0]
		for _, u := range a.updates {
			if u.ID >= offset {
				kept = append(kept, u)
			}
		}
		a.updates = kept
		out, ch := append(a.again, kept...), a.changed
		a.again = nil
		a.mu.Unlock()
		if len(out) > 0 {
			return out
		}
		select {
		case <-ch:
		case <-deadline:
			return []*models.Update{}
		case <-ctx.Done():
			return []*models.Update{}
		}
	}
}

// call serves every method but getUpdates; the caller holds mu. A
// non-empty description is an error answer.
func (a *botAPI) call(method string, p map[string]string) (any, string) {
	switch method {
	case "getMe":
		return a.me, ""
	case "deleteWebhook", "setWebhook":
		if method == "setWebhook" && !strings.HasPrefix(p["url"], "https://") {
			return nil, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
		}
		return true, ""
	case "setMyCommands":
		var cmds []models.BotCommand
		if err := json.Unmarshal([]byte(p["commands"]), &cmds); err != nil || len(cmds) == 0 || len(cmds) > 100 {
			return nil, "Bad Request: commands not found"
		}
		for _, c := range cmds {
			if !regexp.MustCompile(`^[a-z0-9_]{1,32}$`).MatchString(c.Command) || c.Description == "" || len([]rune(c.Description)) > 256 {
				return nil, "Bad Request: BOT_COMMAND_INVALID"
			}
		}
		return true, ""
	case "answerCallbackQuery":
		if p["callback_query_id"] == "" {
			return nil, "Bad Request: query is too old and response timeout expired or query ID is invalid"
		}
		return true, ""
	case "sendMessage":
		return a.sendMessage(p)
	case "editMessageText":
		return a.editMessageText(p)
	}
	return nil, "Not Found"
}

func (a *botAPI) sendMessage(p map[string]string) (any, string) {
	id, err := strconv.ParseInt(p["chat_id"], 10, 64)
	chat, known := a.chats[id]
	if err != nil || !known {
		return nil, "Bad Request: chat not found"
	}
	text, entities, desc := a.text(p)
	if desc != "" {
		return nil, desc
	}
	m := &models.Message{ID: a.nextMsg, Date: int(time.Now().Unix()), Chat: chat, From: &a.me, Text: text, Entities: entities}
	a.nextMsg++
	if rm := p["reply_markup"]; rm != "" {
		kb, desc := keyboardParam(rm)
		if desc != "" {
			return nil, desc
		}
		m.ReplyMarkup = kb
	}
	if rp := p["reply_parameters"]; rp != "" {
		var r models.ReplyParameters
		if err := json.Unmarshal([]byte(rp), &r); err != nil {
			return nil, "Bad Request: can't parse reply parameters JSON object"
		}
		m.ReplyToMessage = a.messages[r.MessageID]
	}
	a.messages[m.ID] = m
	return m, ""
}

func (a *botAPI) editMessageText(p map[string]string) (any, string) {
	id, _ := strconv.Atoi(p["message_id"])
	m := a.messages[id]
	if m == nil || strconv.FormatInt(m.Chat.ID, 10) != p["chat_id"] {
		return nil, "Bad Request: message to edit not found"
	}
	text, entities, desc := a.text(p)
	if desc != "" {
		return nil, desc
	}
	var kb *models.InlineKeyboardMarkup
	if rm := p["reply_markup"]; rm != "" {
		if kb, desc = keyboardParam(rm); desc != "" {
			return nil, desc
		}
	}
	if text == m.Text && kb == nil && m.ReplyMarkup == nil {
		return nil, "Bad Request: message is not modified"
	}
	edited := *m
	edited.Text, edited.Entities, edited.ReplyMarkup, edited.EditDate = text, entities, kb, int(time.Now().Unix())
	a.messages[id] = &edited
	return &edited, ""
}

// text reads a message's text, parsed by its parse mode or with its
// entities, and checks it as Telegram does.
func (a *botAPI) text(p map[string]string) (string, []models.MessageEntity, string) {
	var text string
	var entities []models.MessageEntity
	switch p["parse_mode"] {
	case "HTML":
		var err error
		if text, entities, err = parseTelegramHTML(p["text"]); err != nil {
			return "", nil, "Bad Request: can't parse entities: " + err.Error()
		}
	case "":
		text = p["text"]
		if e := p["entities"]; e != "" {
			if err := json.Unmarshal([]byte(e), &entities); err != nil {
				return "", nil, "Bad Request: can't parse entities JSON object"
			}
			n := len(utf16.Encode([]rune(text)))
			for _, x := range entities {
				if x.Offset < 0 || x.Length <= 0 || x.Offset+x.Length > n {
					return "", nil, "Bad Request: entity beyond the end of the text"
				}
			}
		}
	default:
		return "", nil, "Bad Request: unsupported parse_mode"
	}
	switch n := len(utf16.Encode([]rune(strings.TrimSpace(text)))); {
	case n == 0:
		return "", nil, "Bad Request: message text is empty"
	case n > 4096:
		return "", nil, "Bad Request: message is too long"
	}
	return text, entities, ""
}

// buttonFields are the optional fields of an inline keyboard button, of
// which a button must use exactly one.
var buttonFields = []string{"url", "callback_data", "web_app", "login_url", "switch_inline_query",
	"switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay"}

// keyboardParam reads a reply_markup with an inline keyboard.
func keyboardParam(s string) (*models.InlineKeyboardMarkup, string) {
	var raw struct {
		InlineKeyboard [][]map[string]json.RawMessage `json:"inline_keyboard"`
	}
	var kb models.InlineKeyboardMarkup
	if json.Unmarshal([]byte(s), &raw) != nil || json.Unmarshal([]byte(s), &kb) != nil {
		return nil, "Bad Request: can't parse reply keyboard markup JSON object"
	}
	for _, row := range raw.InlineKeyboard {
		for _, b := range row {
			n := 0
			for _, f := range buttonFields {
				if _, ok := b[f]; ok {
					n++
				}
			}
			if n != 1 {
				return nil, "Bad Request: can't parse inline keyboard button: exactly one of the optional fields must be used"
			}
		}
	}
	for _, row := range kb.InlineKeyboard {
		for _, b := range row {
			if b.Text == "" {
				return nil, "Bad Request: text buttons are unallowed in the inline keyboard"
			}
			if n := len(b.CallbackData); n == 0 || n > 64 {
				return nil, "Bad Request: BUTTON_DATA_INVALID"
			}
		}
	}
	return &kb, ""
}

// htmlTags are the tags Telegram's HTML knows, and the entity each makes.
var htmlTags = map[string]models.MessageEntityType{
	"b": models.MessageEntityTypeBold, "strong": models.MessageEntityTypeBold,
	"i": models.MessageEntityTypeItalic, "em": models.MessageEntityTypeItalic,
	"u": models.MessageEntityTypeUnderline, "ins": models.MessageEntityTypeUnderline,
	"s": models.MessageEntityTypeStrikethrough, "strike": models.MessageEntityTypeStrikethrough,
	"del": models.MessageEntityTypeStrikethrough, "code": models.MessageEntityTypeCode,
	"pre": models.MessageEntityTypePre, "blockquote": models.MessageEntityTypeBlockquote,
	"tg-spoiler": models.MessageEntityTypeSpoiler, "a": models.MessageEntityTypeTextLink,
}

// parseTelegramHTML parses text in Telegram's HTML style: the tags above,
// the entities &lt; &gt; &amp; &quot; and numeric ones; any other '<', '>'
// or '&' is an error, as with Telegram. It returns the text and its
// entities, offsets in UTF-16 units.
func parseTelegramHTML(s string) (string, []models.MessageEntity, error) {
	var text []uint16
	var entities []models.MessageEntity
	type open struct {
		name string
		at   int
	}
	var stack []open
	for i := 0; i < len(s); {
		switch s[i] {
		case '<':
			j := strings.IndexByte(s[i:], '>')
			if j < 0 {
				return "", nil, fmt.Errorf("unclosed start tag at byte offset %d", i)
			}
			tag := s[i+1 : i+j]
			i += j + 1
			if name, closing := strings.CutPrefix(tag, "/"); closing {
				if len(stack) == 0 || stack[len(stack)-1].name != name {
					return "", nil, fmt.Errorf("unmatched end tag %q", name)
				}
				o := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if len(text) > o.at {
					entities = append(entities, models.MessageEntity{Type: htmlTags[name], Offset: o.at, Length: len(text) - o.at})
				}
				continue
			}
			name, _, _ := strings.Cut(tag, " ")
			if _, ok := htmlTags[name]; !ok {
				return "", nil, fmt.Errorf("unsupported start tag %q", name)
			}
			stack = append(stack, open{name, len(text)})
		case '>':
			return "", nil, fmt.Errorf("unescaped '>' at byte offset %d", i)
		case '&':
			j := strings.IndexByte(s[i:], ';')
			if j < 0 {
				return "", nil, fmt.Errorf("unescaped '&' at byte offset %d", i)
			}
			r, ok := htmlEntity(s[i+1 : i+j])
			if !ok {
				return "", nil, fmt.Errorf("unsupported entity %q", s[i:i+j+1])
			}
			text = append(text, utf16.Encode([]rune{r})...)
			i += j + 1
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			text = append(text, utf16.Encode([]rune{r})...)
			i += size
		}
	}
	if len(stack) > 0 {
		return "", nil, fmt.Errorf("unclosed tag %q", stack[len(stack)-1].name)
	}
	return string(utf16.Decode(text)), entities, nil
}

func htmlEntity(name string) (rune, bool) {
	switch name {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	}
	var n int64
	var err error
	switch {
	case strings.HasPrefix(name, "#x"), strings.HasPrefix(name, "#X"):
		n, err = strconv.ParseInt(name[2:], 16, 32)
	case strings.HasPrefix(name, "#"):
		n, err = strconv.ParseInt(name[1:], 10, 32)
	default:
		return 0, false
	}
	return rune(n), err == nil && n > 0
}
