package sqlite

import (
	"errors"
	"testing"
	"time"

	"policybot/store/storetest"
)

// TestRecordFeedback checks that feedback is stored, that a later click
// replaces an earlier one, and that an unknown turn, or one of another
// session, is reported.
func TestRecordFeedback(t *testing.T) {
	clk := storetest.NewClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := storetest.Context(t)
	s, tr := storetest.SampleTurn("s1", "你好")
	id, err := commitNext(ctx, db, s, tr)
	if err != nil {
		t.Fatal(err)
	}

	if err := db.RecordFeedback(ctx, "s1", id, true); err != nil {
		t.Fatalf("RecordFeedback: %v", err)
	}
	clk.Advance(time.Minute)
	if err := db.RecordFeedback(ctx, "s1", id, false); err != nil {
		t.Fatalf("RecordFeedback again: %v", err)
	}
	var n, helpful int
	var at int64
	if err := db.read.QueryRowContext(ctx, `SELECT count(*), max(helpful), max(at) FROM feedback WHERE turn_id = ?`, id).Scan(&n, &helpful, &at); err != nil {
		t.Fatal(err)
	}
	if n != 1 || helpful != 0 || at != clk.Now().UnixMilli() {
		t.Errorf("feedback rows = %d, helpful = %d, at = %d; want the last click only", n, helpful, at)
	}

	if err := db.RecordFeedback(ctx, "s1", id+100, true); !errors.Is(err, ErrTurnNotFound) {
		t.Errorf("RecordFeedback(unknown turn) error = %v, want ErrTurnNotFound", err)
	}
	// A turn of another session: ids are sequential, so the pair must match.
	s2, tr2 := storetest.SampleTurn("s2", "另一个人")
	other, err := commitNext(ctx, db, s2, tr2)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.RecordFeedback(ctx, "s1", other, true); !errors.Is(err, ErrTurnNotFound) {
		t.Errorf("RecordFeedback(s1, a turn of s2) error = %v, want ErrTurnNotFound", err)
	}
}
