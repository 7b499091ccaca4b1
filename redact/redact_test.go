package redact

import (
	"os"
	"strings"
	"testing"
	"unicode/utf8"
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

	// Everything at once.
	{"mixed", "我叫张三，电话138-1234-5678，身份证500103199003071239，卡6222021234567890123，邮箱a@b.cn，招了3个人",
		"我叫张三，电话[手机号]，身份证[身份证号]，卡[银行卡号]，邮箱[邮箱]，招了3个人"},
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
	"[手机号] [身份证号] [银行卡号] [邮箱] [电话]",
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
