package zh

import "testing"

func TestParseNumber(t *testing.T) {
	cases := map[string]int64{
		"十八": 18, "五六": 5, "三四十": 30, "两三": 2, "七八百": 700, "一二三三三": 12333, "一百二十": 120, "两千": 2000, "三万五": 35000, "一百五": 150, "一百零五": 105,
		"二十万": 200000, "十万": 100000, "二〇二二": 2022, "三": 3, "一亿二千万": 120000000,
	}
	for in, want := range cases {
		got, ok := ParseNumber(in)
		if !ok || got != want {
			t.Errorf("ParseNumber(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, bad := range []string{"", "abc", "十a", "人"} {
		if _, ok := ParseNumber(bad); ok {
			t.Errorf("ParseNumber(%q) ok, want not a number", bad)
		}
	}
}

func TestDigitize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"我们公司招了三个应届生", "我们公司招了3个应届生"},
		{"离校两年内", "离校2年内"},
		{"一百二十人的公司", "120人的公司"},
		{"返还比例百分之五十", "返还比例50%"},
		{"三分之二的社保补贴", "2/3的社保补贴"},
		{"一次性吸纳就业补贴", "一次性吸纳就业补贴"},
		{"进一步稳定就业", "进一步稳定就业"},
		{"两千元", "2000元"},
		{"满十二个月", "满12个月"},
		{"没有数字", "没有数字"},
		{"最高300万元", "最高300万元"},
		{"3万元", "3万元"},
		{"1.5万元", "1.5万元"},
		{"2千元", "2千元"},
		{"三万元", "30000元"},
	}
	for _, c := range cases {
		if got := Digitize(c.in); got != c.want {
			t.Errorf("Digitize(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestFold(t *testing.T) {
	f, err := NewFolder()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ in, want string }{
		{"應屆畢業生補貼怎麼申請", "应届毕业生补贴怎么申请"},
		{"２０００元／人", "2000元/人"},
		{"LPR", "lpr"},
		{"社保补贴，怎么领？", "社保补贴,怎么领?"},
	}
	for _, c := range cases {
		if got := f.Fold(c.in); got != c.want {
			t.Errorf("Fold(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

func TestWidth(t *testing.T) {
	if got := Width("就业 2000元"); got != 2*2+1+4+2 {
		t.Errorf("Width = %d", got)
	}
}
