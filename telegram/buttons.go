package telegram

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/go-telegram/bot/models"

	"policybot/bot"
)

// maxCallbackData is Telegram's limit on a button's callback data, in bytes.
const maxCallbackData = 64

// chatState is what the channel remembers of a chat beside its session:
// the turn whose buttons are live and the option values behind them, by
// place. Option values stay here, not in the callback data, which only
// names the turn and the place: "b" + turn in base 36 + "." + index, at
// most 18 bytes whatever the values are.
type chatState struct {
	Turn    int64    `json:"turn,omitempty"`
	Options []string `json:"options,omitempty"`
}

func decodeChatState(b []byte) chatState {
	var st chatState
	if len(b) > 0 {
		// An unreadable state only makes the buttons shown stale.
		_ = json.Unmarshal(b, &st)
	}
	return st
}

func (st chatState) encode() []byte {
	b, _ := json.Marshal(st) // an int and strings always encode
	return b
}

// callbackData is the data of the i-th button of a turn.
func callbackData(turn int64, i int) string {
	return "b" + strconv.FormatInt(turn, 36) + "." + strconv.Itoa(i)
}

// parseCallback reads callback data back; ok is false for anything the
// channel did not write.
func parseCallback(data string) (turn int64, i int, ok bool) {
	rest, found := strings.CutPrefix(data, "b")
	if !found || len(data) > maxCallbackData {
		return 0, 0, false
	}
	t, idx, found := strings.Cut(rest, ".")
	if !found {
		return 0, 0, false
	}
	turn, err := strconv.ParseInt(t, 36, 64)
	if err != nil || turn <= 0 {
		return 0, 0, false
	}
	i, err = strconv.Atoi(idx)
	if err != nil || i < 0 || strconv.Itoa(i) != idx {
		return 0, 0, false
	}
	return turn, i, true
}

// option is the value behind a pressed button, if the button is one of the
// chat's live ones.
func (st chatState) option(data string) (string, bool) {
	turn, i, ok := parseCallback(data)
	if !ok || turn != st.Turn || i >= len(st.Options) {
		return "", false
	}
	return st.Options[i], true
}

// inlineKeyboard is a reply_markup with an inline keyboard, as the Bot API
// documents it. A button must use exactly one of its optional fields, and
// the library's models.InlineKeyboardButton always encodes copy_text (a
// struct, which omitempty does not drop) beside callback_data; this type
// sends callback_data alone.
type inlineKeyboard struct {
	InlineKeyboard [][]callbackButton `json:"inline_keyboard"`
}

type callbackButton struct {
	Text         string `json:"text"`
	CallbackData string `json:"callback_data"`
}

// keyboard lays the options out one to a row: labels run to a dozen
// characters and more.
func keyboard(turn int64, opts []bot.Option) *inlineKeyboard {
	if len(opts) == 0 {
		return nil
	}
	kb := &inlineKeyboard{}
	for i, o := range opts {
		kb.InlineKeyboard = append(kb.InlineKeyboard, []callbackButton{{Text: o.Label, CallbackData: callbackData(turn, i)}})
	}
	return kb
}

// labelOf finds the label of the button with the given data on a message.
func labelOf(m *models.Message, data string) string {
	if m == nil || m.ReplyMarkup == nil {
		return ""
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, b := range row {
			if b.CallbackData == data {
				return b.Text
			}
		}
	}
	return ""
}
