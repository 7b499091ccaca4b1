package main

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// purge deletes conversations last active before the given age.
func (m *Main) purge(ctx context.Context, args []string) error {
	fs := newFlags("purge", m.Stderr)
	var cfg Config
	cfg.bind(fs, m.Getenv)
	olderThan := fs.String("older-than", "", "age of conversations to delete: 90d, 720h …")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *olderThan == "" {
		return usagef("purge: give --older-than, e.g. --older-than 90d")
	}
	age, err := parseDuration(*olderThan)
	if err != nil {
		return usagef("purge --older-than %q: %v", *olderThan, err)
	}
	a, err := cfg.openApp(m.logger())
	if err != nil {
		return err
	}
	defer a.Close()
	var n int64
	ran, err := a.db.Exclusive(ctx, purgeJob, func(ctx context.Context) (err error) {
		n, err = a.db.Purge(ctx, time.Now().Add(-age))
		return err
	})
	if err != nil {
		return err
	}
	if !ran {
		return errors.New("purge: another process (a serve instance) is purging this database now; try again later")
	}
	fmt.Fprintf(m.Stdout, "deleted %d conversations last active over %s ago\n", n, *olderThan)
	return nil
}
