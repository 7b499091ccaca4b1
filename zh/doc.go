// Package zh holds the small pieces of Chinese text handling that every layer
// needs: reading numerals written in characters, folding full-width forms and
// traditional characters, and measuring text the way a reader sees it.
package zh
