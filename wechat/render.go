package wechat

import (
	"strings"

	"policybot/bot"
	"policybot/parts"
)

// maxContent is WeChat's limit on a passive text reply's Content: 2048
// bytes of UTF-8 (about 680 Chinese characters). A longer reply is not
// delivered at all.
const maxContent = 2048

// render writes a reply as WeChat shows it: the engine's plain text (what
// it marks 【thus】 for plain-text channels stays so), the options under it
// as numbered lines, all in parts within the limit. Every part but the
// last ends with the note that 全部 shows the rest.
func (c *Channel) render(r *bot.Reply) []string {
	var lines []parts.Line
	for _, l := range strings.Split(r.Reply, "\n") {
		lines = append(lines, parts.Plain(l))
	}
	if opts := r.Options(); len(opts) > 0 {
		// The options go on with the question above them, so a part
		// rather breaks before the question than between it and them.
		lines = append(lines, parts.Line{GoesOn: true})
		for i, o := range opts {
			option := parts.Plain(c.texts.option(r.Lang, i+1, o.Label))
			option.GoesOn = true
			lines = append(lines, option)
		}
	}
	note := c.texts.text(r.Lang, textMore)
	out := split(lines, maxContent-len("\n"+note))
	if len(out) == 0 {
		return []string{c.texts.text(r.Lang, textFailed)}
	}
	for i := range out[:len(out)-1] {
		out[i] += "\n" + note
	}
	return out
}
