package reading_test

import (
	"fmt"
	"os"
	"testing"
)

func TestDebug(t *testing.T) {
	q := os.Getenv("Q")
	if q == "" {
		return
	}
	fmt.Print(describe(read(t, q, os.Getenv("P"))))
}
