package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"policybot/bot"
)

// The cases that showed the engine misreading new people, as the engine
// now takes them: each message through the real engine, and what it knows,
// asks and says after it.
func TestUnderstandingNewPeople(t *testing.T) {
	// On the notice's own terms, before any later document changed a
	// measure: what comes first in a result is the point here.
	day, err := time.ParseInLocation(time.DateOnly, dialogueDay, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, day)

	t.Run("an employer's denials are denials, and nothing said is asked", func(t *testing.T) {
		r := e.send(t, "", bot.Message{Text: "我们是一家50人的小型企业，今年招了3个应届高校毕业生，都已经稳定工作7个月了，没有招脱贫人口和残疾人。"})
		want := map[string]any{"role": "employer", "employer_type": "enterprise", "enterprise_size": "small", "staff_count": int64(50),
			"graduates_hired": int64(3), "graduates_stayed_6m": true, "key_group_hires": int64(0), "hired_hard_to_employ": false}
		for k, v := range want {
			if got := r.Facts[k]; got != v {
				t.Errorf("facts[%s] = %#v, want %#v (all: %v)", k, got, v, r.Facts)
			}
		}
		for _, k := range []string{"poverty_alleviated", "disabled"} {
			if _, ok := r.Facts[k]; ok {
				t.Errorf("knows %s = %v of an employer who said it did not hire such people", k, r.Facts[k])
			}
		}
		if strings.Contains(r.Reply, "脱贫人口：是") || strings.Contains(r.Reply, "残疾人：是") {
			t.Errorf("a denial said back as a yes:\n%s", r.Reply)
		}
		if r.Question != nil && slices.Contains([]string{"role", "staff_count", "graduates_hired", "enterprise_size"}, r.Question.Fact) {
			t.Errorf("asks %s, which the message said", r.Question.Fact)
		}
	})

	t.Run("not meeting the conditions for unemployment benefit is not receiving it", func(t *testing.T) {
		r := e.send(t, "", bot.Message{Text: "我2022年3月失业了，参加过失业保险，但是不符合领取失业保险金的条件"})
		if r.Facts["receiving_ui_benefit"] != false || r.Facts["unemployed_2022"] != true {
			t.Errorf("facts %v; want receiving_ui_benefit false and unemployed_2022 true", r.Facts)
		}
	})

	t.Run("asking about a group is not belonging to it", func(t *testing.T) {
		r := e.send(t, "", bot.Message{Text: "退捕渔民就业有帮扶吗"})
		if r.Status != bot.StatusAnswered || r.Question != nil || len(r.Facts) > 0 || strings.Contains(r.Reply, "已记下") {
			t.Errorf("status %s, question %v, facts %v:\n%s", r.Status, r.Question, r.Facts, r.Reply)
		}
	})

	t.Run("a plain question gets its answer and an offer, not a check", func(t *testing.T) {
		r := e.send(t, "", bot.Message{Text: "招一个应届毕业生能拿多少补贴"})
		if r.Status != bot.StatusAnswered || r.Question != nil {
			t.Fatalf("status %s, question %v; want an answer", r.Status, r.Question)
		}
		if !slices.ContainsFunc(r.Suggestions, func(o bot.Option) bool { return o.Value == bot.OptionCheck }) {
			t.Errorf("no offer to check among %v", r.Suggestions)
		}
		if !strings.Contains(r.Reply, "2000元/人") {
			t.Errorf("the answer does not give the subsidy:\n%s", r.Reply)
		}
		// The offer taken, the check starts.
		r = e.send(t, r.Session, bot.Message{Option: bot.OptionCheck})
		if r.Status != bot.StatusAsking {
			t.Errorf("the offer taken: status %s", r.Status)
		}
	})

	t.Run("someone in work is not asked whether they work, again and again", func(t *testing.T) {
		r := e.send(t, "", bot.Message{Text: "我今年30岁，在国企上班，工作很稳定，没有失业，也不打算创业"})
		if r.Facts["employment_status"] != "employed" || r.Facts["age"] != int64(30) {
			t.Errorf("facts %v; want employed, age 30", r.Facts)
		}
		asked := map[string]int{}
		for i := 0; r.Status == bot.StatusAsking; i++ {
			if i > 6 {
				t.Fatal("no verdicts after six replies")
			}
			asked[r.Question.Fact]++
			r = e.send(t, r.Session, bot.Message{Text: "我今年30岁，在国企上班，工作很稳定，没有失业，也不打算创业"})
		}
		if asked["employment_status"] > 0 {
			t.Errorf("asked employment_status %d times", asked["employment_status"])
		}
		for k, n := range asked {
			if n > 2 {
				t.Errorf("asked %s %d times", k, n)
			}
		}
	})

	t.Run("a result shows what applies first and the rest in a line", func(t *testing.T) {
		r := e.send(t, "", bot.Message{Text: "我们公司今年招了3个应届生，都干满半年了，小型企业，帮我看看"})
		for i := 0; r.Status == bot.StatusAsking; i++ {
			if i > 6 {
				t.Fatal("no verdicts after six replies")
			}
			r = e.send(t, r.Session, bot.Message{Text: "不知道"})
		}
		if len(r.Results) != 46 {
			t.Errorf("%d results in the JSON; want every benefit's, 46", len(r.Results))
		}
		listed := 0
		for _, v := range r.Results {
			if strings.Contains(r.Reply, "\n"+itoa(listed+1)+". "+v.Benefit) {
				listed++
			}
		}
		if listed == 0 || listed > 5 {
			t.Errorf("%d benefits listed in full; want one to five:\n%s", listed, r.Reply)
		}
		if !strings.Contains(r.Reply, "一次性吸纳就业补贴") || strings.Index(r.Reply, "一次性吸纳就业补贴") > strings.Index(r.Reply+"免费基本公共就业服务", "免费基本公共就业服务") {
			t.Errorf("the subsidy for the graduates hired does not come before the free services:\n%s", r.Reply)
		}
		if !slices.ContainsFunc(r.Suggestions, func(o bot.Option) bool { return o.Value == bot.OptionAll }) || !strings.Contains(r.Reply, "查看全部") {
			t.Errorf("no way to see the rest: suggestions %v\n%s", r.Suggestions, r.Reply)
		}
		all := e.send(t, r.Session, bot.Message{Option: bot.OptionAll})
		if all.Status != bot.StatusResult || len(all.Reply) <= len(r.Reply) || strings.Contains(all.Reply, "查看全部") {
			t.Errorf("查看全部 gives:\n%s", all.Reply)
		}
	})
}

func itoa(n int) string { return string(rune('0' + n)) }
