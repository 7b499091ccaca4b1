package web_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// laterDay is a day of late 2026, when later documents had changed
// measures of the notice.
var laterDay = time.Date(2026, 11, 26, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// TestBrowserLaterDocuments: in late 2026 the widget answers with the
// document that replaced the notice's refund rates, and lists the benefit
// it changed as changed, with that document, among the results shown; the
// console shows the registry clause by clause with confidence and the day
// it was checked, marks leads as leads, points search hits to it, and its
// checklist shows a changed benefit as such.
func TestBrowserLaterDocuments(t *testing.T) {
	ctx := startBrowser(t)
	r := newRig(t, rigOptions{today: laterDay})

	act(t, ctx, "open the demo page", chromedp.Navigate(r.srv.URL+"/"))
	waitFor(t, ctx, "the launcher", widgetRoot+` && `+widgetRoot+`.querySelector('[data-testid=policybot-launcher]')`)
	act(t, ctx, "ask whether 稳岗返还 still runs",
		click(inWidget("[data-testid=policybot-launcher]")),
		typeInto(inWidget("[data-testid=policybot-input]"), "我们是大型企业，稳岗返还现在还有吗"),
		click(inWidget("[data-testid=policybot-send]")))
	waitFor(t, ctx, "the answer", widgetRoot+`.querySelectorAll('.msg.bot .cite').length > 0`)
	text := eval[string](t, ctx, widgetRoot+`.querySelector('.msg.bot:last-child .text').textContent`)
	if !strings.HasPrefix(text, "后续文件（政策更新登记）") || !strings.Contains(text, "渝人社规〔2025〕10号") {
		t.Errorf("the answer does not lead with the later document: %q", text)
	}
	figs := eval[[]string](t, ctx, `Array.from(`+widgetRoot+`.querySelectorAll('.msg.bot:last-child .fig'), b => b.textContent)`)
	if indexOf(figs, "10%") < 0 || indexOf(figs, "50%") >= 0 || indexOf(figs, "30%") >= 0 {
		t.Errorf("figures in bold %q: want the 2025 rates, not the notice's", figs)
	}

	n := eval[int](t, ctx, widgetRoot+`.querySelectorAll('.msg').length`)
	act(t, ctx, "ask for the results",
		typeInto(inWidget("[data-testid=policybot-input]"), "直接看结果"),
		click(inWidget("[data-testid=policybot-send]")))
	waitFor(t, ctx, "the results", widgetRoot+`.querySelectorAll('.msg').length > `+strconv.Itoa(n+1)+` && !!`+widgetRoot+`.querySelector('.msg.bot:last-child .results')`)
	changed := eval[[]string](t, ctx, `Array.from(`+widgetRoot+`.querySelectorAll('.msg.bot:last-child .results > .rlist > .result.superseded'), li => li.textContent)`)
	if len(changed) == 0 || !strings.Contains(strings.Join(changed, " "), "已被后续文件调整") || !strings.Contains(strings.Join(changed, " "), "渝人社规〔2025〕10号") {
		t.Errorf("changed benefits shown %q: want 稳岗返还 marked changed, naming 渝人社规〔2025〕10号, outside the folded list", changed)
	}
	if eval[int](t, ctx, widgetRoot+`.querySelectorAll('.msg.bot:last-child .ruled-out .result.superseded').length`) != 0 {
		t.Error("a changed benefit was folded away with the ruled-out ones")
	}

	act(t, ctx, "open the console", chromedp.EmulateViewport(1440, 1000), chromedp.Navigate(r.srv.URL+"/staff"))
	waitFor(t, ctx, "the sign-in form", `location.pathname === '/staff/login' && !!document.getElementById('password')`)
	act(t, ctx, "sign in",
		chromedp.SendKeys(chromedp.ID("username"), "admin"),
		chromedp.SendKeys(chromedp.ID("password"), rigPassword),
		chromedp.Click(chromedp.CSS("button[type=submit]")))
	waitFor(t, ctx, "the registry", `location.pathname === '/staff' && document.querySelectorAll('#currency table.currency tbody tr').length > 10`)
	meta := eval[string](t, ctx, `document.querySelector('#currency .notice').textContent`)
	for _, want := range []string{"登记核对日期：2026-12-02", "渝人社发〔2022〕20号", "巫溪"} {
		if !strings.Contains(meta, want) {
			t.Errorf("the registry's heading lacks %q", want)
		}
	}
	refund := eval[string](t, ctx, `(() => { const th = document.getElementById('currency-cq-2022-employment-measures-2');
		let tr = th.parentElement, out = ''; for (let i = 0; i < th.rowSpan; i++, tr = tr.nextElementSibling) out += tr.textContent + '\n'; return out; })()`)
	for _, want := range []string{"渝人社规〔2025〕10号", "取代", "已在政府网站核实", "人社部发〔2024〕40号", "已结束", "待核实线索"} {
		if !strings.Contains(refund, want) {
			t.Errorf("clause 2's registry rows lack %q:\n%s", want, refund)
		}
	}
	if n := eval[int](t, ctx, `document.querySelectorAll('#currency tr.lead').length`); n == 0 {
		t.Error("no lead is marked as a lead")
	}

	act(t, ctx, "search",
		chromedp.SendKeys(chromedp.ID("q"), "稳岗返还"),
		chromedp.Click(chromedp.CSS("#search-form button")))
	waitFor(t, ctx, "hits", `document.querySelectorAll('#hits .hit').length > 0`)
	if note := eval[string](t, ctx, `(document.querySelector('#hits .hit:first-child .later-note') || {}).textContent || ''`); !strings.Contains(note, "渝人社规〔2025〕10号") {
		t.Errorf("the first hit points to %q, want the 2025 document", note)
	}

	set := func(key, value string) chromedp.Action[chromedp.Void] {
		return chromedp.Evaluate[chromedp.Void](`(() => { const e = document.getElementById('fact-` + key + `'); e.value = "` + value +
			`"; e.dispatchEvent(new Event('change', {bubbles: true})); })()`)
	}
	act(t, ctx, "fill in the checklist", set("role", "employer"), set("employer_type", "enterprise"), set("enterprise_size", "large"))
	waitFor(t, ctx, "a changed benefit among those shown", `Array.from(document.querySelectorAll('#check-results > .rlist > .result.superseded')).some(li =>
		li.textContent.includes('已被后续文件调整') && li.textContent.includes('渝人社规〔2025〕10号'))`)
	if v := eval[[]string](t, ctx, `window.__csp.concat(window.__alerts)`); len(v) != 0 {
		t.Errorf("CSP violations or alerts: %q", v)
	}
	act(t, ctx, "scroll to the registry", chromedp.Evaluate[chromedp.Void](`document.getElementById('currency').scrollIntoView()`))
	shoot(t, ctx, "console-currency.png")
}
