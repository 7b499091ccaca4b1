#!/usr/bin/env bash
# Measures chat turns per second and latency against one and then two
# `policybot serve` instances sharing a throw-away PostgreSQL cluster (fsync
# on, as in production), all on loopback: 32 connections for 20 s each.
#
#   scripts/instances-load.sh            # needs Debian's postgresql
set -euo pipefail
cd "$(dirname "$0")/.."
conns=${CONNS:-32}
dur=${DURATION:-20s}

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${pg:-}" ] && .ci/postgres stop "$pg"
  rm -rf "$tmp"
}
trap cleanup EXIT

go build -o "$tmp/policybot" ./cmd/policybot
go build -o "$tmp/loadgen" ./scripts/loadgen
pg=$(POLICYBOT_PG_FSYNC=on .ci/postgres start)
export POLICYBOT_DATABASE_URL="$pg" POLICYBOT_LOG_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export POLICYBOT_RATE_LIMIT=0 POLICYBOT_TODAY=2026-11-26

start() { # start PORT: an instance with its own data folder, once it listens
  mkdir -p "$tmp/data-$1"
  "$tmp/policybot" serve --addr "127.0.0.1:$1" --data "$tmp/data-$1" >"$tmp/out-$1" 2>"$tmp/err-$1" &
  pids+=($!)
  for _ in $(seq 600); do
    grep -q "policybot serving" "$tmp/out-$1" && return 0
    sleep 0.1
  done
  cat "$tmp/err-$1" >&2
  return 1
}

start 18081
"$tmp/loadgen" -urls http://127.0.0.1:18081 -c "$conns" -d "$dur"
start 18082
"$tmp/loadgen" -urls http://127.0.0.1:18081,http://127.0.0.1:18082 -c "$conns" -d "$dur"
