package wechat

import "policybot/parts"

// split packs lines into parts of at most limit bytes of UTF-8, as WeChat
// counts (the zero parts.Format), breaking where parts.Format.Pack does.
func split(lines []parts.Line, limit int) []string {
	return parts.Format{}.Pack(lines, limit)
}
