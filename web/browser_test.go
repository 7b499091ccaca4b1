package web_test

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"policybot/bot"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// The widget and the staff console in real headless Chromium, driven over
// the DevTools protocol: a page on another origin embeds the widget, a
// person asks, reads the cited clause, answers the follow-up questions with
// buttons, gets a result, reloads, and tries to inject a script; then an
// operator signs in to the console, searches, fills in the checklist and
// finds that conversation.

var screenshots = flag.String("screenshots", "", "save the README's screenshots (PNG) in this folder, e.g. ../docs")

// chromiumPath is where Debian's chromium package puts the browser.
const chromiumPath = "/usr/bin/chromium"

// browserTimeout bounds each browser test, start-up included.
const browserTimeout = 3 * time.Minute

// startBrowser starts headless Chromium with a fresh profile for one test
// and returns a context for driving it, ended with the test or after
// browserTimeout. A missing Chromium fails the test: CI installs it, and a
// skip would hide that the widget went untested.
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath
	if _, err := os.Stat(path); err != nil {
		found, lerr := exec.LookPath("chromium")
		if lerr != nil {
			t.Fatalf("Chromium is not installed (no %s, no chromium on PATH): install it with `apt-get install -y chromium`, as .ci/run does", chromiumPath)
		}
		path = found
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in a container
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first run starts the browser and must not carry a deadline (it
	// would end the browser with it); a watchdog bounds it instead.
	watchdog := time.AfterFunc(time.Minute, cancelCtx)
	err := chromedp.Do(ctx)
	watchdog.Stop()
	if err != nil {
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	// Record alerts instead of showing them, and any CSP violation, on every
	// page from now on.
	err = chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
			window.__alerts = [];
			window.alert = function (m) { window.__alerts.push(String(m)); };
			window.__csp = [];
			document.addEventListener('securitypolicyviolation', function (e) {
				window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
			});`})
		return err
	}))
	if err != nil {
		t.Fatal(err)
	}
	tctx, cancel := context.WithTimeout(ctx, browserTimeout)
	t.Cleanup(cancel)
	return tctx
}

// widgetRoot is the widget's shadow root, in JavaScript.
const widgetRoot = `document.getElementById("policybot-widget").shadowRoot`

// inWidget is, in JavaScript, the first element of the widget matching a
// CSS selector.
func inWidget(css string) string {
	return widgetRoot + ".querySelector(" + strconv.Quote(css) + ")"
}

// click clicks the middle of the element a JavaScript expression gives,
// with the mouse, as a person would; the element is scrolled into view
// first. (It goes by coordinates because DOM queries do not reach into
// the widget's shadow root.)
func click(elem string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		pt, err := chromedp.Evaluate[map[string]float64](`(() => { const e = `+elem+`; e.scrollIntoView({block: 'center'});
			const r = e.getBoundingClientRect(); return {x: r.left + r.width / 2, y: r.top + r.height / 2}; })()`)(ctx, tg)
		if err != nil {
			return chromedp.Void{}, err
		}
		return chromedp.MouseClickXY(pt["x"], pt["y"])(ctx, tg)
	}
}

// typeInto focuses the element a JavaScript expression gives and types
// text into it, key by key.
func typeInto(elem, text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(chromedp.Evaluate[chromedp.Void](elem+".focus()"), chromedp.KeyEvent(text))
}

// act runs steps and fails the test with what it was doing.
func act(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until a JavaScript expression is true. A navigation
// under way (after a form's submission) restarts the wait on the new page.
func waitFor(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(40 * time.Second)
	for {
		_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil {
			return
		}
		// A page that navigates while it is polled loses its execution
		// context under the poll: try again on the new page.
		navigating := strings.Contains(err.Error(), "navigated or closed") || strings.Contains(err.Error(), "context was destroyed") ||
			strings.Contains(err.Error(), "Cannot find context with specified id")
		if !navigating || time.Now().After(deadline) {
			t.Fatalf("waiting for %s: %v", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// shoot saves a screenshot of the viewport for the README, when asked to.
func shoot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if *screenshots == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(*screenshots, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// timed runs a subtest and logs how long it took; it reports success.
func timed(t *testing.T, name string, f func(t *testing.T)) bool {
	start := time.Now()
	ok := t.Run(name, f)
	t.Logf("%s: %s", name, time.Since(start).Round(10*time.Millisecond))
	return ok
}

// hostPage is a page of another site, with CSS that would wreck the widget
// if it could reach it.
const hostPage = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>某区人力社保局</title>
<style>
  body { font: 16px serif; margin: 0; padding: 24px; background: #fdfdf6; }
  * { color: #0a0 !important; }
  button { background: lime !important; font-size: 40px !important; }
  div { display: none; }
</style></head>
<body>
<h1>某区人力资源和社会保障局</h1>
<p>政策问答请点右下角。</p>
<script src="%s/widget.js" defer data-title="就业政策助手"></script>
</body></html>`

// preferred are the follow-up answers the test picks when offered, in
// order: an employer that hired three graduates who stayed.
var preferred = []string{"看看我能否享受", "用人单位（企业、社会组织等）", "企业", "小型企业", "3名", "是"}

func TestBrowserWidgetAndConsole(t *testing.T) {
	ctx := startBrowser(t)
	var r *rig
	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, hostPage, r.srv.URL)
	}))
	t.Cleanup(host.Close)
	r = newRig(t, rigOptions{cors: []string{host.URL}})

	var session string
	if !timed(t, "widget on another site", func(t *testing.T) { session = widgetConversation(t, ctx, r, host.URL) }) {
		return
	}
	if !timed(t, "reload keeps the session", func(t *testing.T) { widgetReload(t, ctx, r, session) }) {
		return
	}
	timed(t, "phone width", func(t *testing.T) { widgetPhone(t, ctx) })
	timed(t, "user text is text", func(t *testing.T) { widgetInjection(t, ctx) })
	timed(t, "keyboard alone", func(t *testing.T) { widgetKeyboard(t, ctx, host.URL) })
	timed(t, "demo page under its CSP", func(t *testing.T) { demoPage(t, ctx, r) })
	timed(t, "staff console", func(t *testing.T) { staffConsole(t, ctx, r) })
}

// widgetConversation opens the widget on the host page, asks, reads a
// citation, answers follow-ups until a result, rates it, and returns the
// session id the widget keeps.
func widgetConversation(t *testing.T, ctx context.Context, r *rig, hostURL string) string {
	act(t, ctx, "open the host page", chromedp.Navigate(hostURL))
	waitFor(t, ctx, "the launcher", widgetRoot+` && `+widgetRoot+`.querySelector('[data-testid=policybot-launcher]')`)
	// The host's CSS does not reach inside: the launcher keeps its colour.
	if bg := eval[string](t, ctx, `getComputedStyle(`+(inWidget("[data-testid=policybot-launcher]"))+`).backgroundColor`); bg != "rgb(198, 40, 40)" {
		t.Errorf("launcher background %s: the host page's CSS got in", bg)
	}
	act(t, ctx, "open the widget", click(inWidget("[data-testid=policybot-launcher]")))
	waitFor(t, ctx, "the panel", `!`+widgetRoot+`.querySelector('.panel').hidden`)
	if !eval[bool](t, ctx, widgetRoot+`.activeElement === `+widgetRoot+`.querySelector('[data-testid=policybot-input]')`) {
		t.Error("opening the widget did not move focus to the input")
	}

	act(t, ctx, "ask",
		typeInto(inWidget("[data-testid=policybot-input]"), "招用高校毕业生有什么补贴"),
		click(inWidget("[data-testid=policybot-send]")))
	waitFor(t, ctx, "a cited answer", widgetRoot+`.querySelectorAll('[data-testid=policybot-messages] .msg.bot .cite').length > 0`)
	cites := eval[[]string](t, ctx, `Array.from(`+widgetRoot+`.querySelectorAll('.cite'), b => b.textContent)`)
	if len(cites) == 0 || !strings.Contains(strings.Join(cites, " "), "降低企业用工成本") {
		t.Errorf("citations %q, want the clause 降低企业用工成本", cites)
	}
	figs := eval[[]string](t, ctx, `Array.from(`+widgetRoot+`.querySelectorAll('.msg.bot .fig'), b => b.textContent)`)
	if !slices.ContainsFunc(figs, func(f string) bool { return strings.Contains(f, "元") }) {
		t.Errorf("figures in bold %q, want the amount among them", figs)
	}
	act(t, ctx, "read the cited clause", click(inWidget(".cite")))
	quote := eval[string](t, ctx, `(() => { const q = `+widgetRoot+`.querySelector('.quote'); return q.hidden ? '' : q.textContent; })()`)
	if !strings.Contains(quote, "高校毕业生") {
		t.Errorf("the quoted clause shows %q", quote)
	}

	// The person tells their situation, and the check asks what it needs.
	n := eval[int](t, ctx, widgetRoot+`.querySelectorAll('.msg').length`)
	act(t, ctx, "tell the situation",
		typeInto(inWidget("[data-testid=policybot-input]"), "我们是小型企业，今年招了3名应届生，都干满半年了"),
		click(inWidget("[data-testid=policybot-send]")))
	waitFor(t, ctx, "the reply to the situation", widgetRoot+`.querySelectorAll('.msg').length >= `+strconv.Itoa(n+2))
	answerFollowUps(t, ctx)
	results := eval[[]string](t, ctx, `Array.from(`+widgetRoot+`.querySelectorAll('.msg.bot:last-child .results .result'), li => li.className + ' ' + li.textContent)`)
	var withAmount bool
	for _, res := range results {
		withAmount = withAmount || (strings.HasPrefix(res, "result eligible") && strings.Contains(res, "元"))
	}
	if !withAmount {
		t.Errorf("no eligible result with an amount among %d: %q", len(results), results)
	}
	shoot(t, ctx, "widget-desktop.png")

	act(t, ctx, "rate the result", click(inWidget(".msg.bot:last-child .thumb")))
	waitFor(t, ctx, "the rating to stick", widgetRoot+`.querySelector('.msg.bot:last-child .thumb').getAttribute('aria-pressed') === 'true'`)
	session := eval[string](t, ctx, `JSON.parse(localStorage.getItem(Object.keys(localStorage).find(k => k.startsWith('policybot:')))).session`)
	conv := findConversation(t, r, session)
	if conv.Helpful != 1 || conv.Status != "result" || len(conv.Results) == 0 {
		t.Errorf("the log has %+v, want the result rated helpful", conv)
	}
	return session
}

// answerFollowUps presses the offered buttons, preferring the answers in
// preferred, until the widget shows a result.
func answerFollowUps(t *testing.T, ctx context.Context) {
	t.Helper()
	for range 15 {
		waitFor(t, ctx, "the reply", `!`+widgetRoot+`.querySelector('[data-testid=policybot-send]').disabled`)
		if eval[bool](t, ctx, `!!`+widgetRoot+`.querySelector('.msg.bot:last-child .results')`) {
			return
		}
		labels := eval[[]string](t, ctx, `Array.from(`+widgetRoot+`.querySelectorAll('.msg.bot:last-child [data-testid=policybot-option]'), b => b.textContent)`)
		if len(labels) == 0 {
			t.Fatalf("no follow-up buttons and no result; last reply: %s", eval[string](t, ctx, widgetRoot+`.querySelector('.msg.bot:last-child').textContent`))
		}
		pick := len(labels) - 1 // skip what we have no answer for
		for _, p := range preferred {
			if i := indexOf(labels, p); i >= 0 {
				pick = i
				break
			}
		}
		n := eval[int](t, ctx, widgetRoot+`.querySelectorAll('.msg').length`)
		act(t, ctx, "press "+labels[pick], click(widgetRoot+
			`.querySelectorAll('.msg.bot:last-child [data-testid=policybot-option]')[`+strconv.Itoa(pick)+`]`))
		waitFor(t, ctx, "the answer to "+labels[pick], widgetRoot+`.querySelectorAll('.msg').length >= `+strconv.Itoa(n+2))
	}
	t.Fatal("no result after 15 follow-up answers")
}

func indexOf(xs []string, x string) int {
	for i, s := range xs {
		if s == x {
			return i
		}
	}
	return -1
}

// widgetReload reloads the host page: the panel comes back open with the
// conversation, and the next message continues the same session.
func widgetReload(t *testing.T, ctx context.Context, r *rig, session string) {
	before := eval[int](t, ctx, widgetRoot+`.querySelectorAll('.msg').length`)
	turns := findConversation(t, r, session).Turns
	act(t, ctx, "reload", chromedp.Reload())
	waitFor(t, ctx, "the widget after reload", widgetRoot+` && `+widgetRoot+`.querySelectorAll('.msg').length > 0`)
	if got := eval[int](t, ctx, widgetRoot+`.querySelectorAll('.msg').length`); got != before {
		t.Errorf("after reload %d messages, before %d", got, before)
	}
	if eval[bool](t, ctx, widgetRoot+`.querySelector('.panel').hidden`) {
		t.Error("the panel was open before the reload and is closed after")
	}
	act(t, ctx, "thank",
		typeInto(inWidget("[data-testid=policybot-input]"), "谢谢"),
		click(inWidget("[data-testid=policybot-send]")))
	waitFor(t, ctx, "the reply after reload", widgetRoot+`.querySelectorAll('.msg').length >= `+strconv.Itoa(before+2))
	if got := findConversation(t, r, session).Turns; got != turns+1 {
		t.Errorf("the conversation has %d turns after one more message, want %d: the reload lost the session", got, turns+1)
	}
}

// widgetInjection types markup: it must show as the text typed, run
// nothing and add no element.
func widgetInjection(t *testing.T, ctx context.Context) {
	scripts := eval[int](t, ctx, `document.scripts.length`)
	for _, payload := range []string{`<script>alert(1)</script>`, `<img src=x onerror="alert(2)">`} {
		n := eval[int](t, ctx, widgetRoot+`.querySelectorAll('.msg').length`)
		act(t, ctx, "type "+payload,
			typeInto(inWidget("[data-testid=policybot-input]"), payload),
			click(inWidget("[data-testid=policybot-send]")))
		waitFor(t, ctx, "the reply to "+payload, widgetRoot+`.querySelectorAll('.msg').length >= `+strconv.Itoa(n+2))
		shown := eval[string](t, ctx, widgetRoot+`.querySelectorAll('.msg.user')[`+widgetRoot+`.querySelectorAll('.msg.user').length - 1].querySelector('.text').textContent`)
		if shown != payload {
			t.Errorf("typed %q, shown %q", payload, shown)
		}
	}
	time.Sleep(300 * time.Millisecond) // an injected onerror would have fired by now
	if got := eval[[]string](t, ctx, `window.__alerts`); len(got) != 0 {
		t.Errorf("alerts ran: %q", got)
	}
	if n := eval[int](t, ctx, widgetRoot+`.querySelectorAll('script, img, iframe').length`); n != 0 {
		t.Errorf("%d injected elements in the widget", n)
	}
	if got := eval[int](t, ctx, `document.scripts.length`); got != scripts {
		t.Errorf("the page had %d scripts, now %d", scripts, got)
	}
}

// widgetPhone checks the open widget on a 390 px wide phone: full screen,
// nothing wider than the screen.
func widgetPhone(t *testing.T, ctx context.Context) {
	act(t, ctx, "emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	defer act(t, ctx, "leave the phone", chromedp.EmulateReset())
	act(t, ctx, "reload on the phone", chromedp.Reload())
	waitFor(t, ctx, "the widget on the phone", widgetRoot+` && !`+widgetRoot+`.querySelector('.panel').hidden`)
	box := eval[map[string]float64](t, ctx, `(() => { const r = `+widgetRoot+`.querySelector('.panel').getBoundingClientRect();
		return {left: r.left, width: r.width, height: r.height, page: document.documentElement.scrollWidth, inner: innerWidth}; })()`)
	if box["inner"] != 390 || box["left"] != 0 || box["width"] != 390 || box["height"] < 800 || box["page"] > 390 {
		t.Errorf("on a 390 px phone the panel is %v", box)
	}
	input := eval[map[string]float64](t, ctx, `(() => { const r = `+widgetRoot+`.querySelector('[data-testid=policybot-send]').getBoundingClientRect(); return {right: r.right, bottom: r.bottom}; })()`)
	if input["right"] > 390 || input["bottom"] > 844 {
		t.Errorf("the send button is off screen at %v", input)
	}
	act(t, ctx, "read the first answer's clause", click(inWidget(".cite")),
		chromedp.Evaluate[chromedp.Void](inWidget(".msg.bot:nth-child(3)")+".scrollIntoView()"))
	shoot(t, ctx, "widget-phone.png")
}

// widgetKeyboard uses the widget with the keyboard alone, from a fresh
// start, and checks what a screen reader is told.
func widgetKeyboard(t *testing.T, ctx context.Context, hostURL string) {
	act(t, ctx, "start afresh", chromedp.Navigate(hostURL), chromedp.Evaluate[chromedp.Void](`localStorage.clear()`), chromedp.Reload())
	waitFor(t, ctx, "the launcher", widgetRoot+` && `+widgetRoot+`.querySelector('[data-testid=policybot-launcher]')`)
	focused := func() string {
		return eval[string](t, ctx, `(() => { const a = `+widgetRoot+`.activeElement; return a ? (a.dataset.testid || a.className) : ''; })()`)
	}
	act(t, ctx, "tab to the launcher", chromedp.KeyEvent("\t"))
	if got := focused(); got != "policybot-launcher" {
		t.Fatalf("Tab from the top of the page focused %q, want the launcher", got)
	}
	act(t, ctx, "open with Enter", chromedp.KeyEvent("\r"))
	waitFor(t, ctx, "the panel", `!`+widgetRoot+`.querySelector('.panel').hidden`)
	if got := focused(); got != "policybot-input" {
		t.Errorf("after opening, focus is on %q, want the input", got)
	}
	act(t, ctx, "ask with Enter", chromedp.KeyEvent("灵活就业社保补贴怎么算"), chromedp.KeyEvent("\r"))
	waitFor(t, ctx, "the answer", widgetRoot+`.querySelectorAll('.msg.bot').length >= 2 && !`+widgetRoot+`.querySelector('[data-testid=policybot-send]').disabled`)
	act(t, ctx, "close with Escape", chromedp.KeyEvent("\u001b"))
	if !eval[bool](t, ctx, widgetRoot+`.querySelector('.panel').hidden`) {
		t.Error("Escape did not close the panel")
	}
	if got := focused(); got != "policybot-launcher" {
		t.Errorf("after closing, focus is on %q, want the launcher", got)
	}
	aria := eval[map[string]string](t, ctx, `(() => { const r = `+widgetRoot+`; const m = r.querySelector('[data-testid=policybot-messages]');
		const i = r.querySelector('[data-testid=policybot-input]'); const l = r.querySelector('[data-testid=policybot-launcher]');
		return {log: m.getAttribute('role') + ' ' + m.getAttribute('aria-live'), label: i.labels.length ? i.labels[0].textContent : '',
			expanded: l.getAttribute('aria-expanded'), name: l.getAttribute('aria-label'), dialog: r.querySelector('.panel').getAttribute('role')}; })()`)
	if aria["log"] != "log polite" || aria["label"] == "" || aria["expanded"] != "false" || aria["name"] == "" || aria["dialog"] != "dialog" {
		t.Errorf("what a screen reader gets: %v", aria)
	}
}

// demoPage checks GET /: the widget works under the page's strict CSP.
func demoPage(t *testing.T, ctx context.Context, r *rig) {
	act(t, ctx, "open the demo page", chromedp.Navigate(r.srv.URL+"/"))
	waitFor(t, ctx, "the launcher", widgetRoot+` && `+widgetRoot+`.querySelector('[data-testid=policybot-launcher]')`)
	act(t, ctx, "ask on the demo page",
		click(inWidget("[data-testid=policybot-launcher]")),
		typeInto(inWidget("[data-testid=policybot-input]"), "失业保险稳岗返还比例是多少"),
		click(inWidget("[data-testid=policybot-send]")))
	waitFor(t, ctx, "a cited answer", widgetRoot+`.querySelectorAll('.msg.bot .cite').length > 0`)
	if bg := eval[string](t, ctx, `getComputedStyle(`+(inWidget("[data-testid=policybot-launcher]"))+`).backgroundColor`); bg != "rgb(198, 40, 40)" {
		t.Errorf("launcher background %s: the widget's styles were blocked", bg)
	}
	if v := eval[[]string](t, ctx, `window.__csp`); len(v) != 0 {
		t.Errorf("CSP violations on the demo page: %q", v)
	}
}

// staffConsole signs in, searches, fills in the checklist and finds the
// widget's conversation among the recent ones.
func staffConsole(t *testing.T, ctx context.Context, r *rig) {
	act(t, ctx, "open the console", chromedp.EmulateViewport(1440, 1000), chromedp.Navigate(r.srv.URL+"/staff"))
	waitFor(t, ctx, "the sign-in form", `location.pathname === '/staff/login' && !!document.getElementById('password')`)
	act(t, ctx, "sign in",
		chromedp.SendKeys(chromedp.ID("username"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), rigPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")))
	waitFor(t, ctx, "the console", `location.pathname === '/staff' && document.querySelectorAll('#check-form select').length > 10`)

	act(t, ctx, "search",
		chromedp.SendKeys(chromedp.ID("q"), "一次性吸纳就业补贴"),
		chromedp.Click(chromedp.CSS("#search-form button")))
	waitFor(t, ctx, "hits", `document.querySelectorAll('#hits .hit').length > 0`)
	marks := eval[[]string](t, ctx, `Array.from(document.querySelectorAll('#hits .hit:first-child .best mark'), m => m.textContent)`)
	if indexOf(marks, "一次性吸纳就业补贴") < 0 {
		t.Errorf("the best hit marks %q", marks)
	}
	act(t, ctx, "open the clause", chromedp.Click(chromedp.CSS("#hits .hit:first-child button.link")))
	if clause := eval[string](t, ctx, `(() => { const c = document.querySelector('#hits .hit:first-child .clause'); return c.hidden ? '' : c.textContent; })()`); !strings.Contains(clause, "2000元/人") {
		t.Errorf("the opened clause reads %q", clause)
	}

	set := func(key, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById('fact-` + key + `'); e.value = ` + strconv.Quote(value) +
			`; e.dispatchEvent(new Event('change', {bubbles: true})); })()`)
	}
	act(t, ctx, "fill in the checklist",
		set("role", "employer"), set("employer_type", "enterprise"), set("enterprise_size", "small"),
		chromedp.SendKeys(chromedp.ID("fact-graduates_hired"), "3"),
		set("graduates_stayed_6m", "true"))
	waitFor(t, ctx, "the checklist's verdicts", `document.getElementById('script').value.includes('一次性吸纳就业补贴') &&
		Array.from(document.querySelectorAll('#check-results .result.eligible')).some(li => li.textContent.includes('一次性吸纳就业补贴') && li.textContent.includes('6000元'))`)
	act(t, ctx, "copy the script", chromedp.Click(chromedp.ID("copy-script")))
	waitFor(t, ctx, "the copy", `document.getElementById('copy-status').textContent !== ''`)

	act(t, ctx, "refresh the conversations", chromedp.Click(chromedp.ID("recent-refresh")))
	waitFor(t, ctx, "the widget's conversation", `Array.from(document.querySelectorAll('#recent-table tbody tr')).some(tr =>
		tr.textContent.includes('网站') && tr.textContent.includes('<img src=x onerror="alert(2)">') && tr.textContent.includes('👍1'))`)
	if n := eval[int](t, ctx, `document.querySelectorAll('#recent-table img, #recent-table script').length`); n != 0 {
		t.Errorf("the console rendered %d elements from a user's text", n)
	}
	waitFor(t, ctx, "the report", `document.querySelectorAll('#top-table tbody tr').length > 1 && document.querySelectorAll('#volume-chart rect').length > 0`)
	if v := eval[[]string](t, ctx, `window.__csp.concat(window.__alerts)`); len(v) != 0 {
		t.Errorf("CSP violations or alerts in the console: %q", v)
	}
	act(t, ctx, "scroll to the reports", chromedp.Evaluate[chromedp.Void](`document.getElementById('recent').scrollIntoView()`))
	shoot(t, ctx, "console-reports.png")
	act(t, ctx, "scroll to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))
	shoot(t, ctx, "console-desktop.png")
	act(t, ctx, "emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile))
	if w := eval[int](t, ctx, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the console is %d px wide on a 390 px phone", w)
	}
	shoot(t, ctx, "console-phone.png")
	act(t, ctx, "leave the phone", chromedp.EmulateReset())
}

// findConversation returns the logged conversation with that id.
func findConversation(t *testing.T, r *rig, id string) bot.ConversationSummary {
	t.Helper()
	list, err := r.db.RecentConversations(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no conversation %q in the log", id)
	return bot.ConversationSummary{}
}
