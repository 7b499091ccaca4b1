package main

import (
	"fmt"
	"io"
	"time"
)

// report prints what the run measured, one figure a line, each named as
// README quotes it.
func report(w io.Writer, health, chat stats, load *chatLoad, s *server, a audited, o options) {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }
	fmt.Fprintf(w, "GET /healthz     %8.0f req/s   p50 %s   p99 %s   (%d answered, %d wrong)\n",
		health.perSecond(), ms(health.percentile(0.50)), ms(health.percentile(0.99)), health.ok, health.failed)
	fmt.Fprintf(w, "POST /api/chat   %8.0f turns/s p50 %s   p99 %s   (%d answered, %d wrong)\n",
		chat.perSecond(), ms(chat.percentile(0.50)), ms(chat.percentile(0.99)), chat.ok, chat.failed)
	if chat.firstErr != nil {
		fmt.Fprintf(w, "first wrong answer: %v\n", chat.firstErr)
	}
	fmt.Fprintf(w, "chat / healthz   %8.1f %%\n", 100*chat.perSecond()/health.perSecond())
	fmt.Fprintf(w, "conversations    %8d started; resident memory %.0f MB at the end\n", load.started.Load(), s.rss)
	fmt.Fprintf(w, "kill -9          %8d turns acknowledged, %d found in the log, %d lost, %d logged otherwise (%d turns in the log)\n",
		a.acknowledged, a.found, a.lost, a.differ, a.inLog)
	if o.cpuprofile != "" {
		fmt.Fprintf(w, "CPU profile      %s (go tool pprof -top %s)\n", o.cpuprofile, o.cpuprofile)
	}
}
