#!/usr/bin/env bash
# Retrieval per question against Xapian over character bigrams, on the same
# machine in the same minutes: the held-out set's in-scope questions, one
# core, in process, each side three times in turn (the machine may be shared;
# compare the rounds side by side). Needs Debian's python3-xapian and
# python3-jieba, and ../shared/peers beside the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
set=evaluation/testdata/heldout.jsonl
peers=../shared/peers/peers.py
[ -f "$peers" ] || { echo "no $peers: the baselines live in the shared folder beside the repository" >&2; exit 1; }
go test -c -o /tmp/policybot-retrieval.test ./retrieval
for round in 1 2 3; do
  echo "round $round (load average $(cut -d' ' -f1 /proc/loadavg))"
  /usr/bin/python3 "$peers" "$set" | sed -n 1p | sed 's/^/  /'
  (cd retrieval && /tmp/policybot-retrieval.test -test.run '^$' -test.bench 'SearchHeldOut$' -test.benchtime 3s) |
    awk '/^BenchmarkSearchHeldOut/ { printf "  policybot: %s µs a question, qps=%.0f (%s cpu-µs)\n", $3/1000, 1e9/$3, $5 }'
done
rm -f /tmp/policybot-retrieval.test
