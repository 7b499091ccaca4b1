// Package store names what a database adapter is: everything the domain
// packages ask of storage (bot.Store, telegram.Store, wechat.Store,
// web.StaffStore, web.Checker), and what main needs besides to set up
// operators and run the periodic jobs. Two adapters implement it: package
// sqlite, the embedded default for one instance, and package postgres, for
// several; package storetest holds the suite both pass.
package store

import (
	"context"
	"time"

	"policybot/bot"
	"policybot/telegram"
	"policybot/web"
	"policybot/wechat"
)

// Store is a database adapter.
type Store interface {
	bot.Store
	telegram.Store
	wechat.Store
	web.StaffStore
	web.Checker

	// AddStaff creates an operator account; errors wrap staff.ErrName,
	// staff.ErrPassword or staff.ErrExists.
	AddStaff(ctx context.Context, name, password string) error
	// EnsureStaff creates the account unless it exists, reporting
	// whether it did; an existing one keeps its password.
	EnsureStaff(ctx context.Context, name, password string) (bool, error)
	// StaffCount is how many operator accounts there are.
	StaffCount(ctx context.Context) (int, error)
	// Purge deletes the conversations last active before the given time,
	// and the sign-in records older than it, and returns how many
	// conversations it deleted.
	Purge(ctx context.Context, before time.Time) (int64, error)
	// Exclusive runs f unless another process sharing the database runs
	// the job (a name of a-z, 0-9 and -) now, and reports whether f ran.
	// f's context ends if the lock is lost.
	Exclusive(ctx context.Context, job string, f func(context.Context) error) (bool, error)
	Close() error
}
