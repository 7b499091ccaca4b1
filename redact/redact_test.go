package redact

import (
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"policybot/corpus"
	"policybot/redact/redacttest"
)

// redactCases are inputs as users type them, and what the log must keep.
var redactCases = []struct {
	name, in, want string
}{
	// Mobile numbers.
	{"phone plain", "我的电话13812345678", "我的电话[手机号]"},
	{"phone dashes", "138-1234-5678", "[手机号]"},
	{"phone spaces", "打 138 1234 5678 找我", "打 [手机号] 找我"},
	{"phone odd grouping", "1381 234 5678", "[手机号]"},
	{"phone spelled out", "1 3 8 1 2 3 4 5 6 7 8", "[手机号]"},
	{"phone dots", "138.1234.5678", "[手机号]"},
	{"phone +86 spaced", "+86 138 1234 5678", "[手机号]"},
	{"phone +86 joined", "+8613812345678", "[手机号]"},
	{"phone 86 joined", "8613812345678", "[手机号]"},
	{"phone 0086", "0086 13812345678", "[手机号]"},
	{"phone 0086 dashes", "0086-138-1234-5678", "[手机号]"},
	{"phone 86-", "86-138-1234-5678", "[手机号]"},
	{"phone (+86)", "(+86)138 1234 5678", "[手机号]"},
	{"phone （+86）", "（+86）13812345678", "[手机号]"},
	{"phone full-width", "１３８１２３４５６７８", "[手机号]"},
	{"phone full-width dashes", "１３８－１２３４－５６７８", "[手机号]"},
	{"phone full-width +86", "＋８６　１３８１２３４５６７８", "[手机号]"},
	{"phone ideographic spaces", "138　1234　5678", "[手机号]"},
	{"phone em dash", "138—1234—5678", "[手机号]"},
	{"phone after colon", "手机：15012345678，谢谢", "手机：[手机号]，谢谢"},
	{"phone after ascii", "tel:19912345678", "tel:[手机号]"},
	{"phone in parentheses", "（13812345678）", "（[手机号]）"},
	{"two phones", "13812345678 和 13987654321", "[手机号] 和 [手机号]"},
	{"phone then amount", "电话138 1234 5678 2000元", "电话[手机号] 2000元"},
	{"amount then phone", "补贴2000 13812345678", "补贴2000 [手机号]"},
	{"phone 199", "19912345678", "[手机号]"},

	// Resident ID numbers.
	{"id valid", "身份证500103199003071239", "身份证[身份证号]"},
	{"id X", "11010519491231002X", "[身份证号]"},
	{"id x lower", "11010519491231002x号", "[身份证号]号"},
	{"id X full-width", "11010519491231002Ｘ", "[身份证号]"},
	{"id bad check digit", "500103199003071238", "[身份证号]"},
	{"id bad date and check", "500103199913451238", "[银行卡号]"},
	{"id 6-8-4", "500103 19900307 1239", "[身份证号]"},
	{"id 6-4-4-4", "500103 1990 0307 1239", "[身份证号]"},
	{"id odd grouping with birth date", "5001 0319 9003 0712 38", "[身份证号]"},
	{"id dashes", "500103-19900307-1239", "[身份证号]"},
	{"id full-width", "５００１０３１９９００３０７１２３９", "[身份证号]"},
	{"id in sentence", "身份证号是50023320011115871X。", "身份证号是[身份证号]。"},
	{"id then phone", "500103199003071239 13812345678", "[身份证号] [手机号]"},

	// Bank cards.
	{"card 19", "卡号6222021234567890123", "卡号[银行卡号]"},
	{"card 16", "4111111111111111", "[银行卡号]"},
	{"card grouped", "6222 0212 3456 7890 123", "[银行卡号]"},
	{"card dashes", "6222-0212-3456-7890", "[银行卡号]"},
	{"card luhn grouped", "4111 1111 1111 1111", "[银行卡号]"},
	{"card full-width", "６２２２０２１２３４５６７８９０１２３", "[银行卡号]"},
	{"card 17", "62170000100012345", "[银行卡号]"},

	// E-mail.
	{"email", "邮箱 zhang.san@example.com 谢谢", "邮箱 [邮箱] 谢谢"},
	{"email plus", "foo+bar@mail.qq.com", "[邮箱]"},
	{"email digits", "123456789@qq.com", "[邮箱]"},
	{"email full-width at", "zhangsan＠163.com", "[邮箱]"},
	{"email gov", "联系li_si@cq.gov.cn。", "联系[邮箱]。"},

	// Landlines.
	{"landline dash", "座机023-63211234", "座机[电话]"},
	{"landline parens", "(023)6321 1234", "[电话]"},
	{"landline full-width parens", "（023）63211234", "[电话]"},
	{"landline spaces", "023 6321 1234", "[电话]"},
	{"landline beijing", "010-88881234", "[电话]"},
	{"landline 4-digit area", "0571-8888888", "[电话]"},
	{"landline joined", "02363211234", "[电话]"},
	// An office number cannot be told from a private one; both go.
	{"office landline", "请拨打12333或023-88152386咨询", "请拨打12333或[电话]咨询"},
	{"landline with extension", "023-63211234-801", "[电话]-801"},

	// Formats found stored raw before (issue 13).
	{"phone then x and letters", "13812345678xie谢", "[手机号]xie谢"},
	{"phone then X", "13812345678X", "[手机号]X"},
	{"phone slashes", "138/1234/5678", "[手机号]"},
	{"phone underscores", "138_1234_5678", "[手机号]"},
	{"phone full-width commas", "138，1234，5678", "[手机号]"},
	{"phone zero-width", "138\u200b1234\u200b5678", "[手机号]"},
	{"phone Chinese numerals", "电话一三八一二三四五六七八一定回", "电话[手机号]一定回"},
	{"phone 幺", "幺三三零二三四五六七八", "[手机号]"},
	{"phone mixed scripts", "138一二三四5678", "[手机号]"},
	{"id then x", "500103199003071239x", "[身份证号]x"},
	{"id 15", "110105491231002", "[身份证号]"},
	{"id 15 spaced", "110105 491231 002", "[身份证号]"},
	{"card then x", "6222021234567890123x", "[银行卡号]x"},
	{"card Amex", "3782 822463 10005", "[银行卡号]"},
	{"card Diners", "3056 930902 5904", "[银行卡号]"},
	{"card 6-13", "622202 1234567890123", "[银行卡号]"},
	{"card fours failing every old rule", "1234 5678 9012 3456", "[银行卡号]"},
	{"email full-width", "ｚｈａｎｇ＠１６３．ｃｏｍ", "[邮箱]"},
	{"email Unicode", "张三@例子.中国", "[邮箱]"},
	{"email at dot", "mail wangwu at gmail dot com thanks", "mail [邮箱] thanks"},
	{"email (at)", "wangwu(at)gmail(dot)com", "[邮箱]"},
	{"email 艾特", "wangwu艾特qq点com", "[邮箱]"},
	{"qq", "QQ：987654321", "QQ：[QQ号]"},
	{"qq spaced", "加我qq 987 654 321 谢谢", "加我qq [QQ号] 谢谢"},
	{"wechat wxid", "微信号wxid_abc12345", "微信号[微信号]"},
	{"wechat id", "我的微信是 zhang_san88，", "我的微信是 [微信号]，"},
	{"wechat vx", "vx: wang-li-2022", "vx: [微信号]"},
	{"wxid alone", "wxid_k9x8y7z6", "[微信号]"},
	{"name and address", "我叫张伟，住在渝中区解放碑XX路12号", "我叫[姓名]，住在[地址]"},
	{"name run on", "我叫张伟住在渝中区", "我叫[姓名][地址]"}, // the name takes four characters
	{"name label", "姓名：李秀英", "姓名：[姓名]"},
	{"name and address in English", "My name is John Smith, I live at 12 Baker Street.", "My name is [姓名], I live at [地址]."},
	{"name stops at a stop word", "my name is wang fang and I hired 3 graduates", "my name is [姓名] and I hired 3 graduates"},
	// Everything at once.
	{"mixed", "我叫张三，电话138-1234-5678，身份证500103199003071239，卡6222021234567890123，邮箱a@b.cn，招了3个人",
		"我叫[姓名]，电话[手机号]，身份证[身份证号]，卡[银行卡号]，邮箱[邮箱]，招了3个人"},
}

// keepCases are ordinary policy text that must come through unchanged.
var keepCases = []string{
	"2000元/人",
	"一次性吸纳就业补贴标准为每人2000元",
	"300万元",
	"7800元",
	"最高不超过 7800 元",
	"2022年6月2日",
	"2023年 4月 30日",
	"2023-04-30",
	"2023.04.30",
	"20220602",
	"2022/06/02",
	"失业保险费率至 1%",
	"50%", "0.5%", "1.5万元",
	"费率 1.5 2.5 3.5 4.5 5.5 6",
	"1.5 2.5 3.5 4.5 5.5 6.5 7.5 8.5 9.5",
	"招了3个人",
	"120人",
	"重庆市人力资源和社会保障局等 13 个部门",
	"渝人社发〔2022〕9号",
	"渝府办发〔2022〕68号",
	"12333",
	"拨打12333咨询",
	"95588",
	"400-820-8820",
	"2000-3000元",
	"2000 - 3000元",
	"第1 2 3条",
	"2022 2023 2024 2025",
	"2000 3000 5000 8000",
	"12345678901",
	"3x4=12",
	"16-24岁",
	"35岁以下",
	"v1.2.3",
	"2000@3.5",
	"[手机号] [身份证号] [银行卡号] [邮箱] [电话] [姓名] [地址] [QQ号] [微信号]",
	// Cue words in ordinary sentences, with nothing of the kind after them.
	"请联系人社部门",
	"关注微信公众号“重庆人社”",
	"加入QQ群咨询",
	"what is the name of the subsidy",
	"the address of the office",
	"can I pay by wechat",
	"我住院了三个月",
	"办理地址是哪里？",
	"请问地址：在哪里办",
	"what is your address?",
	"我叫什么都行",
	"姓名和身份证都要带",
	"2000 3000 5000 8000 元",
	"",
}

// TestText checks that each kind of personal data is replaced, wherever it
// sits in the text.
func TestText(t *testing.T) {
	for _, c := range redactCases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.want {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestTextRedactsEveryFormat is redaction as a property: every format the
// generator knows, in every sentence, between every kind of neighbour,
// loses all of its data.
func TestTextRedactsEveryFormat(t *testing.T) {
	cases := redacttest.Cases()
	failed := map[string]bool{}
	for _, c := range cases {
		out := Text(c.Text)
		for _, s := range c.Secrets {
			if strings.Contains(out, s) && !failed[c.Kind+c.Format] {
				failed[c.Kind+c.Format] = true
				t.Errorf("%s (%s): Text(%q) = %q, still holds %q", c.Kind, c.Format, c.Text, out, s)
			}
		}
	}
	if len(cases) < 1000 {
		t.Fatalf("the generator made %d cases; want every format in every context", len(cases))
	}
}

// TestTextKeepsPolicyText checks that figures of ordinary policy text are
// left alone.
func TestTextKeepsPolicyText(t *testing.T) {
	for _, in := range keepCases {
		if got := Text(in); got != in {
			t.Errorf("Text(%q) = %q, want it unchanged", in, got)
		}
	}
}

// TestTextKeepsNotice checks that the whole 2022 notice, with its amounts,
// dates, document numbers and PDF spacing, comes through unchanged: the bot
// quotes it in replies, and those are logged redacted.
func TestTextKeepsNotice(t *testing.T) {
	notice, err := os.ReadFile("../corpus/cq-2022-employment-measures.txt")
	if err != nil {
		t.Fatalf("read notice: %v", err)
	}
	got := Text(string(notice))
	if got == string(notice) {
		return
	}
	want := strings.Split(string(notice), "\n")
	for i, line := range strings.Split(got, "\n") {
		if i < len(want) && line != want[i] {
			t.Errorf("line %d redacted:\n got %q\nwant %q", i+1, line, want[i])
		}
	}
}

// TestTextInvalidUTF8 checks that invalid bytes do not survive redaction.
func TestTextInvalidUTF8(t *testing.T) {
	got := Text("电话\xff13812345678\xc3")
	if want := "电话\uFFFD[手机号]\uFFFD"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

// FuzzText checks that Text never panics, returns valid UTF-8 and is
// idempotent.
func FuzzText(f *testing.F) {
	for _, c := range redactCases {
		f.Add(c.in)
	}
	for _, in := range keepCases {
		f.Add(in)
	}
	f.Add("(（+＋86)）138 1234 5678X")
	f.Add("a@b.cc@d.ee 1 3812345678")
	f.Fuzz(func(t *testing.T, in string) {
		out := Text(in)
		if !utf8.ValidString(out) {
			t.Fatalf("Text(%q) = %q, not valid UTF-8", in, out)
		}
		if again := Text(out); again != out {
			t.Fatalf("not idempotent: Text(%q) = %q, Text of that = %q", in, out, again)
		}
	})
}

// BenchmarkText measures redaction of a typical user message.
func BenchmarkText(b *testing.B) {
	const msg = "你好，我是小微企业，今年招了3个高校毕业生，能领2000元/人吗？电话138 1234 5678"
	for b.Loop() {
		Text(msg)
	}
}

// BenchmarkTextNotice measures redaction of the whole notice, the longest
// text a reply can quote.
func BenchmarkTextNotice(b *testing.B) {
	notice, err := os.ReadFile("../corpus/cq-2022-employment-measures.txt")
	if err != nil {
		b.Fatalf("read notice: %v", err)
	}
	b.SetBytes(int64(len(notice)))
	for b.Loop() {
		Text(string(notice))
	}
}

// TestLoadRefusesIncompleteTable checks that a table missing a placeholder
// or the cues of a kind is refused, not used to redact less.
func TestLoadRefusesIncompleteTable(t *testing.T) {
	full, err := fs.ReadFile(corpus.Embedded(), RedactionFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Load(fstest.MapFS{RedactionFile: {Data: full}}); err != nil {
		t.Fatalf("the embedded table: %v", err)
	}
	for name, edit := range map[string][2]string{
		"placeholder": {`  qq: "[QQ号]"`, ``},
		"cues":        {`  cues: [qq, qq号, qq号码, qq号是, 扣扣, 企鹅号, qq number, qq id]`, `  cues: []`},
	} {
		broken := strings.Replace(string(full), edit[0], edit[1], 1)
		if broken == string(full) {
			t.Fatalf("%s: the table no longer has %q", name, edit[0])
		}
		if _, err := Load(fstest.MapFS{RedactionFile: {Data: []byte(broken)}}); err == nil {
			t.Errorf("%s missing: loaded, want an error", name)
		}
	}
}
