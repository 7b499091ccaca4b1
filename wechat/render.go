package wechat

import (
	"strings"

	"policybot/bot"
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
	var lines []line
	for _, l := range strings.Split(r.Reply, "\n") {
		lines = append(lines, line{text: l, goesOn: strings.HasPrefix(l, " ")})
	}
	if opts := optionsOf(r); len(opts) > 0 {
		// The options go on with the question above them, so a part
		// rather breaks before the question than between it and them.
		lines = append(lines, line{goesOn: true})
		for i, o := range opts {
			lines = append(lines, line{text: c.texts.option(r.Lang, i+1, o.Label), goesOn: true})
		}
	}
	note := c.texts.text(r.Lang, textMore)
	parts := split(lines, maxContent-len("\n"+note))
	if len(parts) == 0 {
		return []string{c.texts.text(r.Lang, textFailed)}
	}
	for i := range parts[:len(parts)-1] {
		parts[i] += "\n" + note
	}
	return parts
}

// optionsOf are the options a reply offers: its question's, or its
// suggestions.
func optionsOf(r *bot.Reply) []bot.Option {
	if r.Question != nil && len(r.Question.Options) > 0 {
		return r.Question.Options
	}
	return r.Suggestions
}
