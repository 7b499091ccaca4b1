// Package redacttest generates personal data as people type it, in every
// format package redact claims to catch, embedded in sentences between
// letters, Chinese characters, punctuation and invisible characters: the
// property tests of redact, the SQLite log and the engine use it to show
// that none of it survives.
package redacttest

import (
	"strings"
	"unicode"
)

// Case is one sentence carrying one piece of personal data.
type Case struct {
	Kind    string   // phone, id, card, landline, email, qq, wechat, name, address
	Format  string   // how it is written: "dashes", "Chinese numerals" …
	Text    string   // the sentence
	Secrets []string // what must not survive: the data as typed and, for numbers, its digits
}

// Format is one way of writing one piece of data.
type Format struct {
	Kind, Name string
	Data       string // as typed
	Lead       string // the cue before it, part of the format ("我叫", "QQ：")
}

// Formats lists every format redact catches, the ones issue 13 found
// stored raw and the ones handled before it.
func Formats() []Format {
	f := func(kind, name, data string) Format { return Format{Kind: kind, Name: name, Data: data} }
	cued := func(kind, name, lead, data string) Format {
		return Format{Kind: kind, Name: name, Lead: lead, Data: data}
	}
	return []Format{
		// Mobile numbers.
		f("phone", "plain", "13812345678"),
		f("phone", "dashes", "138-1234-5678"),
		f("phone", "spaces", "138 1234 5678"),
		f("phone", "odd grouping", "1381 234 5678"),
		f("phone", "one by one", "1 3 8 1 2 3 4 5 6 7 8"),
		f("phone", "dots", "138.1234.5678"),
		f("phone", "+86", "+86 138 1234 5678"),
		f("phone", "0086", "0086-139-8765-4321"),
		f("phone", "(+86)", "(+86)15012345678"),
		f("phone", "full-width", "１３８１２３４５６７８"),
		f("phone", "full-width dashes", "１３８－１２３４－５６７８"),
		f("phone", "ideographic spaces", "138　1234　5678"),
		f("phone", "em dashes", "138—1234—5678"),
		f("phone", "slashes", "138/1234/5678"),
		f("phone", "underscores", "138_1234_5678"),
		f("phone", "full-width commas", "138，1234，5678"),
		f("phone", "commas", "138,1234,5678"),
		f("phone", "zero-width inside", "138\u200b1234\u200b5678"),
		f("phone", "zero-width joiners", "1\u200d3\u200d8\u200d1\u200d2\u200d3\u200d4\u200d5\u200d6\u200d7\u200d8"),
		f("phone", "soft hyphens", "138\u00ad1234\u00ad5678"),
		f("phone", "Chinese numerals", "一三八一二三四五六七八"),
		f("phone", "幺 for one", "幺三三零二三四五六七八"),
		f("phone", "Chinese with 两 and 〇", "一五〇两三四五六七八九"),
		f("phone", "Chinese spaced", "一三八 一二三四 五六七八"),
		f("phone", "mixed scripts", "138一二三四5678"),
		f("phone", "then x", "13812345678x"),
		f("phone", "then xie", "13812345678xie"),
		f("phone", "then Ｘ", "13812345678Ｘ"),
		// Resident ID numbers.
		f("id", "18 digits", "500103199003071239"),
		f("id", "X", "11010519491231002X"),
		f("id", "x", "11010519491231002x"),
		f("id", "full-width", "５００１０３１９９００３０７１２３９"),
		f("id", "6-8-4", "500103 19900307 1239"),
		f("id", "6-4-4-4", "500103 1990 0307 1239"),
		f("id", "dashes", "500103-19900307-1239"),
		f("id", "bad check digit", "500103199003071238"),
		f("id", "then x", "500103199003071239x"),
		f("id", "15 digits", "110105491231002"),
		f("id", "15 spaced", "110105 491231 002"),
		f("id", "15 dashes", "110105-491231-002"),
		f("id", "15 then x", "110105491231002x"),
		// Bank cards.
		f("card", "19 digits", "6222021234567890123"),
		f("card", "16 digits", "4111111111111111"),
		f("card", "fours", "6222 0212 3456 7890 123"),
		f("card", "fours, no rule", "1234 5678 9012 3456"),
		f("card", "fours dashes", "6222-0212-3456-7890"),
		f("card", "Amex 4-6-5", "3782 822463 10005"),
		f("card", "Diners 4-6-4", "3056 930902 5904"),
		f("card", "6-13", "622202 1234567890123"),
		f("card", "full-width", "６２２２０２１２３４５６７８９０１２３"),
		f("card", "then x", "6222021234567890123x"),
		f("card", "then X", "4111111111111111X"),
		// Landlines.
		f("landline", "dash", "023-63211234"),
		f("landline", "parentheses", "(023)6321 1234"),
		f("landline", "joined", "02363211234"),
		f("landline", "slashes", "023/6321/1234"),
		// E-mail addresses.
		f("email", "plain", "zhang.san@example.com"),
		f("email", "underscore", "li_si@cq.gov.cn"),
		f("email", "digits", "987654321@qq.com"),
		f("email", "full-width @", "zhangsan＠163.com"),
		f("email", "full-width", "ｚｈａｎｇｓａｎ＠１６３．ｃｏｍ"),
		f("email", "Unicode", "张三@例子.中国"),
		f("email", "accents", "müller@beispiel.de"),
		f("email", "at dot", "wangwu at gmail dot com"),
		f("email", "(at)(dot)", "wangwu(at)gmail(dot)com"),
		f("email", "[at][dot]", "wangwu [at] 163 [dot] com"),
		f("email", "艾特 点", "wangwu艾特qq点com"),
		// QQ and WeChat.
		cued("qq", "QQ：", "QQ：", "987654321"),
		cued("qq", "qq space", "qq ", "87654321"),
		cued("qq", "QQ号", "QQ号", "2468013579"),
		cued("qq", "扣扣", "扣扣", "135792468"),
		cued("wechat", "微信号", "微信号", "wxid_abc12345"),
		cued("wechat", "微信：", "微信：", "zhang_san88"),
		cued("wechat", "vx", "vx: ", "wang-li-2022"),
		cued("wechat", "加我微信", "加我微信", "Lisi1988"),
		cued("wechat", "WeChat", "WeChat ID: ", "chenjie_cq"),
		f("wechat", "wxid alone", "wxid_k9x8y7z6"),
		// Names and addresses after a cue.
		cued("name", "我叫", "我叫", "张伟"),
		cued("name", "我的名字是", "我的名字是", "欧阳娜娜"),
		cued("name", "姓名：", "姓名：", "李秀英"),
		cued("name", "my name is", "My name is ", "John Smith"),
		cued("name", "lower case", "my name is ", "wang fang"),
		cued("name", "name:", "name: ", "Chen Jie"),
		cued("address", "住在", "住在", "渝中区解放碑XX路12号"),
		cued("address", "家住", "家住", "江北区观音桥步行街8号3单元"),
		cued("address", "我家在", "我家在", "南岸区南坪万达广场5栋2单元"),
		cued("address", "地址：", "地址：", "沙坪坝区三峡广场1号"),
		cued("address", "I live at", "I live at ", "12 Baker Street"),
	}
}

// neighbours are what stands right before and after the data.
var neighbours = []string{
	"", " ", "abc", "Xy", "谢谢", "一定", "，", "。", "!", "(", ")", "：", "\u200b", "\u200d", "\ufeff", "\u2060",
}

// sentences are where the data goes, {} marking its place.
var sentences = []string{
	"{}",
	"你好，我的联系方式{}，麻烦回电",
	"请帮我查一下补贴{}谢谢",
	"contact {} please",
}

// Cases puts every format in every sentence with every pair of neighbours
// the generator picks for it: all before-neighbours with a fixed after, and
// all after-neighbours with a fixed before, so each side meets each
// neighbour at least once without the product of all of them.
func Cases() []Case {
	var out []Case
	for _, f := range Formats() {
		for si, s := range sentences {
			for ni, n := range neighbours {
				before, after := n, neighbours[(ni+si)%len(neighbours)]
				text := strings.Replace(s, "{}", before+f.Lead+f.Data+after, 1)
				out = append(out, Case{Kind: f.Kind, Format: f.Name, Text: text, Secrets: secrets(f)})
			}
		}
	}
	return out
}

// secrets are the strings of f that must not survive: the data as typed,
// without its invisible characters, and for numbers its digits alone.
func secrets(f Format) []string {
	visible := strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, f.Data)
	out := []string{visible}
	switch f.Kind {
	case "phone", "id", "card", "landline", "qq":
		if d := digits(f.Data); d != visible && len(d) >= 5 {
			out = append(out, d)
		}
	}
	return out
}

// chineseDigits are the Chinese digits the formats use.
var chineseDigits = map[rune]rune{
	'〇': '0', '零': '0', '一': '1', '幺': '1', '二': '2', '两': '2', '三': '3', '四': '4',
	'五': '5', '六': '6', '七': '7', '八': '8', '九': '9',
}

// digits returns the digits of s, of any script, as ASCII.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= '０' && r <= '９':
			b.WriteRune(r - '０' + '0')
		case chineseDigits[r] != 0:
			b.WriteRune(chineseDigits[r])
		}
	}
	return b.String()
}
