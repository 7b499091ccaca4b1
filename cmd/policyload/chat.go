package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"unicode"
)

// loadQuestions reads the "q" of every line of the *.jsonl files in dir.
func loadQuestions(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no question sets (*.jsonl) in %s: run from the repository's root or give -questions", dir)
	}
	var qs []string
	for _, f := range files {
		file, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(file)
		for n := 1; sc.Scan(); n++ {
			var line struct {
				Q string `json:"q"`
			}
			if len(bytes.TrimSpace(sc.Bytes())) == 0 {
				continue
			}
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
				file.Close()
				return nil, fmt.Errorf("%s:%d: %w", f, n, err)
			}
			if line.Q != "" {
				qs = append(qs, line.Q)
			}
		}
		file.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("read %s: %w", f, err)
		}
	}
	return qs, nil
}

// ack is a turn the server acknowledged: its reply came with status 200.
type ack struct {
	session, status string
	turn            int64
	reply           [sha256.Size]byte
}

// chatLoad sends fresh questions: each worker starts a conversation with
// one and goes on with it with another, so half the turns load a session.
type chatLoad struct {
	url      string
	qs       []string
	seed     int64
	serial   atomic.Int64 // makes every text new
	started  atomic.Int64 // conversations started
	mu       sync.Mutex
	acks     []ack
	sessions sync.Map // worker → the session it goes on with, or ""
}

func newChatLoad(url string, qs []string, seed int64) *chatLoad {
	return &chatLoad{url: url, qs: qs, seed: seed}
}

// fresh is a question no one sent before: one of the sets' with a fact of
// its own in front (a staff count no other text has).
func (l *chatLoad) fresh() string {
	n := l.serial.Add(1)
	r := rand.New(rand.NewPCG(uint64(l.seed), uint64(n)))
	q := l.qs[r.IntN(len(l.qs))]
	if hasHan(q) {
		return fmt.Sprintf("我们单位有%d名职工。%s", 10+n, q)
	}
	return fmt.Sprintf("We have %d employees. %s", 10+n, q)
}

func hasHan(s string) bool {
	for _, c := range s {
		if unicode.Is(unicode.Han, c) {
			return true
		}
	}
	return false
}

// turn posts one fresh question, in a new conversation or the worker's
// current one, and records the acknowledgement.
func (l *chatLoad) turn(ctx context.Context, c *http.Client, worker int) error {
	session := ""
	if v, ok := l.sessions.Load(worker); ok {
		session = v.(string)
	}
	body, _ := json.Marshal(map[string]string{"session": session, "text": l.fresh()})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.url+"/api/chat", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	res, err := c.Do(req)
	if err != nil {
		return err
	}
	data, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("POST /api/chat: %s: %s", res.Status, data)
	}
	var r struct {
		Session string `json:"session"`
		Turn    int64  `json:"turn"`
		Status  string `json:"status"`
		Reply   string `json:"reply"`
	}
	if err := json.Unmarshal(data, &r); err != nil || r.Session == "" || r.Turn == 0 {
		return fmt.Errorf("POST /api/chat: not a reply: %s", data)
	}
	l.mu.Lock()
	l.acks = append(l.acks, ack{session: r.Session, status: r.Status, turn: r.Turn, reply: sha256.Sum256([]byte(r.Reply))})
	l.mu.Unlock()
	if session == "" {
		l.started.Add(1)
		l.sessions.Store(worker, r.Session)
	} else {
		l.sessions.Store(worker, "")
	}
	return nil
}

// acknowledged is every turn acknowledged so far, the ones that came after
// the kill included: they too must be in the log.
func (l *chatLoad) acknowledged() []ack {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ack(nil), l.acks...)
}
