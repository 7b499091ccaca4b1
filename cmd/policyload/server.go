package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// build compiles policybot into a temporary folder.
func build(ctx context.Context) (string, error) {
	dir, err := os.MkdirTemp("", "policyload-bin-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "policybot")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/policybot")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build ./cmd/policybot (run from the repository's root): %v\n%s", err, out)
	}
	return bin, nil
}

// server is a policybot serve process on loopback.
type server struct {
	cmd      *exec.Cmd
	url      string
	pprofURL string
	killOnce sync.Once
	rss      float64 // resident memory in MB when the chat load ended
}

// start runs bin serve on a port of loopback the system chooses, with the
// profiler on another, and waits until it listens.
func start(ctx context.Context, bin, data string) (*server, error) {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--pprof-addr", "127.0.0.1:0", "--data", data)
	// No rate limit: every request comes from one address.
	cmd.Env = append(os.Environ(), "POLICYBOT_RATE_LIMIT=0")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	s := &server{cmd: cmd}
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := sc.Text()
			if u, ok := strings.CutPrefix(line, "policybot profiler on "); ok {
				s.pprofURL = strings.TrimSuffix(u, "/debug/pprof/")
			}
			if u, ok := strings.CutPrefix(line, "policybot serving on "); ok {
				s.url = u
				ready <- nil
			}
		}
		io.Copy(io.Discard, out)
		ready <- fmt.Errorf("policybot serve exited before listening")
	}()
	select {
	case err := <-ready:
		if err != nil {
			cmd.Wait()
			return nil, err
		}
	case <-time.After(2 * time.Minute):
		s.kill()
		return nil, fmt.Errorf("policybot serve did not listen within 2 minutes")
	case <-ctx.Done():
		s.kill()
		return nil, ctx.Err()
	}
	return s, nil
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// kill ends the server with SIGKILL, as a crash would, and reaps it.
func (s *server) kill() {
	s.killOnce.Do(func() {
		s.cmd.Process.Signal(syscall.SIGKILL)
		s.cmd.Wait()
	})
}

// residentMB is the server's resident set now, from /proc (Linux).
func (s *server) residentMB() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// profile fetches a CPU profile of the server for d into path, in the
// background.
func (s *server) profile(ctx context.Context, path string, d time.Duration) <-chan error {
	done := make(chan error, 1)
	go func() {
		url := fmt.Sprintf("%s/debug/pprof/profile?seconds=%d", s.pprofURL, int(d.Seconds()))
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			done <- err
			return
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- fmt.Errorf("CPU profile: %w", err)
			return
		}
		defer res.Body.Close()
		if res.StatusCode != http.StatusOK {
			done <- fmt.Errorf("CPU profile: %s", res.Status)
			return
		}
		f, err := os.Create(path)
		if err != nil {
			done <- err
			return
		}
		if _, err := io.Copy(f, res.Body); err != nil {
			f.Close()
			done <- fmt.Errorf("CPU profile: %w", err)
			return
		}
		done <- f.Close()
	}()
	return done
}
