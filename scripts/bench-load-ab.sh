#!/usr/bin/env bash
# A/B load benchmark: alternates two builds of `vanban serve` under the
# same wrk load as scripts/bench-load.sh (which it runs, one run a round),
# so that both see the same machine load, and prints each build's median
# requests/s, p50, p99 and server CPU time a request per query set, with
# the ratios B/A (on a loaded machine, trust the CPU time most).
#   bash scripts/bench-load-ab.sh OLD_BIN NEW_BIN
# ROUNDS (default 3) rounds of A then B (B then A on even rounds);
# DURATION (default 12s) and SETS (default "distinct short") as for
# bench-load.sh. Each round restarts the server, so every run starts from
# the first distinct query and with empty caches. SERVE_ARGS_A and
# SERVE_ARGS_B add arguments to `vanban serve` (the same binary twice with
# other settings: SERVE_ARGS_B="--max-searches 2").
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:?old binary}
B=${2:?new binary}
ROUNDS=${ROUNDS:-3}
export DURATION=${DURATION:-12s}
SETS=${SETS:-distinct short}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
echo "A=$A ${SERVE_ARGS_A:-}"
echo "B=$B ${SERVE_ARGS_B:-}"
echo "uptime before: $(uptime)"
for r in $(seq "$ROUNDS"); do
  order="A B"
  [ $((r % 2)) = 0 ] && order="B A"
  for which in $order; do
    bin=$A
    [ "$which" = B ] && bin=$B
    for set in $SETS; do
      args=${SERVE_ARGS_A:-}
      [ "$which" = B ] && args=${SERVE_ARGS_B:-}
      line=$(SERVE_ARGS=$args VANBAN_BIN=$bin RUNS=1 SETS=$set bash scripts/bench-load.sh 2>&1 | grep '^run 1:')
      echo "round $r $which $set: ${line#run 1: }"
      echo "$which $set ${line#run 1: }" >> "$OUT/all"
    done
  done
done
echo "uptime after: $(uptime)"
python3 - "$OUT/all" <<'PY'
import sys, statistics
rows = {}
for l in open(sys.argv[1]):
    which, s, *kv = l.split()
    d = dict(x.split("=") for x in kv if "=" in x)
    rows.setdefault((s, which), []).append(d)
for s in dict.fromkeys(k[0] for k in rows):
    med = {w: {k: statistics.median(float(r[k]) for r in rows[(s, w)])
               for k in ("rps", "p50_ms", "p99_ms", "cpu_ms_per_req")} for w in "AB" if (s, w) in rows}
    for w, m in med.items():
        print(f"{s} {w}: median of {len(rows[(s, w)])}: {m['rps']:.0f} req/s, p50 {m['p50_ms']:.2f} ms, p99 {m['p99_ms']:.2f} ms, CPU {m['cpu_ms_per_req']:.3f} ms a request")
    if len(med) == 2:
        a, b = med["A"], med["B"]
        print(f"{s} B/A: req/s {b['rps'] / a['rps']:.3f}, p50 {b['p50_ms'] / a['p50_ms']:.3f}, p99 {b['p99_ms'] / a['p99_ms']:.3f}, CPU a request {b['cpu_ms_per_req'] / a['cpu_ms_per_req']:.3f}")
PY
