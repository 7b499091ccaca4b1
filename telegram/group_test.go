package telegram

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"
)

// TestGroupAnswersOnlyWhenAddressed: in a group the bot answers a mention,
// a reply to one of its messages, and its commands, each member in their
// own conversation; it ignores the rest, other bots' commands, stickers
// and edits; a member's buttons are theirs alone.
func TestGroupAnswersOnlyWhenAddressed(t *testing.T) {
	ctx := testContext(t, 60*time.Second)
	w := newWorld(t)
	ch := w.start()

	mentioned := says(3002, wang, group, "@PolicyBot_Test_Bot 稳岗返还比例是多少")
	w.api.push(
		says(3001, wang, group, "稳岗返还比例是多少"),
		mentioned,
	)
	sent := w.api.waitSent(ctx, 1)
	if sent[0].Chat.ID != group.ID || sent[0].ReplyToMessage == nil || sent[0].ReplyToMessage.ID != mentioned.Message.ID {
		t.Errorf("mention answered in chat %d, replying to %v; want a reply to message %d in the group",
			sent[0].Chat.ID, sent[0].ReplyToMessage, mentioned.Message.ID)
	}
	if !strings.Contains(sent[0].Text, "50%") {
		t.Errorf("mention answered %q, want the 50%% rate", sent[0].Text)
	}

	follow := says(3003, li, group, "大型企业返还比例呢？")
	follow.Message.ReplyToMessage = sent[0]
	sticker := &models.Update{ID: 3004, Message: &models.Message{
		ID: nextMsgID(), Date: int(time.Now().Unix()), Chat: group, From: wang.user(),
		Sticker: &models.Sticker{FileID: "sticker-1", Type: "regular"},
	}}
	edited := says(3005, wang, group, "@policybot_test_bot 稳岗返还比例是多少？")
	edited.EditedMessage, edited.Message = edited.Message, nil
	w.api.push(follow, sticker, edited,
		says(3006, wang, group, "/help@other_bot"),
		says(3007, wang, group, "随便聊聊"),
		says(3008, wang, group, "/help@policybot_test_bot"),
		says(3009, li, group, "/human"),
	)
	sent = w.api.waitSent(ctx, 4)
	got := map[int]string{}
	for _, m := range sent[1:] {
		got[m.ReplyToMessage.ID] = m.Text
	}
	if !strings.Contains(got[follow.Message.ID], "%") {
		t.Errorf("reply to the bot answered %q", got[follow.Message.ID])
	}
	if len(got) != 3 || !containsAny(got, "您可以") || !containsAny(got, "12333") {
		t.Errorf("answers %v; want the follow-up, /help@bot and /human", got)
	}

	// /check by one member; the other presses its button: not theirs.
	w.api.push(says(3010, wang, group, "/check@policybot_test_bot"))
	sent = w.api.waitSent(ctx, 5)
	q := sent[4]
	w.api.push(press(3011, li, q, 0))
	w.api.waitFor(ctx, "li's press answered", func() bool { return len(w.api.servedLocked("answerCallbackQuery")) == 1 })
	if text := w.api.served("answerCallbackQuery")[0].params["text"]; !strings.Contains(text, "失效") {
		t.Errorf("someone else's button answered %q, want it refused politely", text)
	}
	w.api.push(press(3012, wang, q, 1))
	sent = w.api.waitSent(ctx, 6)
	if sent[5].ReplyMarkup == nil || sent[4].ReplyMarkup != nil {
		t.Errorf("wang's press did not move the check on:\n%s", w.api.trace())
	}

	for kind, want := range map[string]float64{"unaddressed": 3, "other": 1, "edited": 1, "command": 3, "message": 2, "callback": 2} {
		if got := ch.metric(t, "policybot_telegram_updates_total", "kind", kind); got != want {
			t.Errorf("%v updates of kind %s, want %v", got, kind, want)
		}
	}
	a, _, _ := w.db.TelegramChat(ctx, "-1001234567890:2000001")
	b, _, _ := w.db.TelegramChat(ctx, "-1001234567890:2000003")
	if a == "" || b == "" || a == b {
		t.Errorf("group members in sessions %q and %q, want one each", a, b)
	}
}

func containsAny(m map[int]string, s string) bool {
	for _, v := range m {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}

// TestPrivateMedia: a sticker in a private chat is told to write; edits
// are not answered again.
func TestPrivateMedia(t *testing.T) {
	ctx := testContext(t, 30*time.Second)
	w := newWorld(t)
	w.start()
	chat := wang.chat()
	edited := says(3101, wang, chat, "你好")
	edited.EditedMessage, edited.Message = edited.Message, nil
	w.api.push(edited, &models.Update{ID: 3102, Message: &models.Message{
		ID: nextMsgID(), Date: int(time.Now().Unix()), Chat: chat, From: wang.user(),
		Sticker: &models.Sticker{FileID: "sticker-2", Type: "regular"},
	}})
	sent := w.api.waitSent(ctx, 1)
	if sent[0].Text != "我只能读文字消息，请用文字提问。" {
		t.Errorf("sticker answered %q", sent[0].Text)
	}
	w.api.push(says(3103, alice, alice.chat(), strings.Repeat("subsidy ", 200)))
	sent = w.api.waitSent(ctx, 2)
	if sent[1].Text != "That message is too long. Please ask in a sentence or two." {
		t.Errorf("a message too long answered %q", sent[1].Text)
	}
	if n := len(w.api.sent()); n != 2 || !slices.ContainsFunc(w.api.sent(), func(m *models.Message) bool { return m.Chat.ID == alice.id }) {
		t.Errorf("%d messages sent, want 2", n)
	}
}
