package retrieval_test

import (
	"context"
	"testing"
)

// BenchmarkSearch is one question end to end through retrieval.
func BenchmarkSearch(b *testing.B) {
	r := real(b)
	ctx := context.Background()
	for b.Loop() {
		if _, err := r.Search(ctx, "我们公司招了三个应届生有什么补贴", 5); err != nil {
			b.Fatal(err)
		}
	}
}
