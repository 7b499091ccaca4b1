// Package retrieval finds the clauses and sentences of the knowledge base
// that answer a question written the way people write, and decides when the
// corpus does not answer it at all.
package retrieval
