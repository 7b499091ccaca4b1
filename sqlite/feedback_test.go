package sqlite

import (
	"errors"
	"testing"
	"time"
)

// TestRecordFeedback checks that feedback is stored, that a later click
// replaces an earlier one, and that an unknown turn is reported.
func TestRecordFeedback(t *testing.T) {
	clk := newClock()
	db, _ := openTestDB(t, clk.Now)
	ctx := testContext(t)
	s, tr := sampleTurn("s1", "你好")
	id, err := db.CommitTurn(ctx, s, tr)
	if err != nil {
		t.Fatal(err)
	}

	if err := db.RecordFeedback(ctx, id, true); err != nil {
		t.Fatalf("RecordFeedback: %v", err)
	}
	clk.Advance(time.Minute)
	if err := db.RecordFeedback(ctx, id, false); err != nil {
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

	if err := db.RecordFeedback(ctx, id+100, true); !errors.Is(err, ErrTurnNotFound) {
		t.Errorf("RecordFeedback(unknown turn) error = %v, want ErrTurnNotFound", err)
	}
}
