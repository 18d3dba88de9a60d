#!/usr/bin/env bash
# Load benchmark of the search service (issue 5), by hand, never a test:
#  1. ingests corpus/phapdien/articles.jsonl into a data dir (kept between
#     runs under target/bench-load-data; FRESH=1 rebuilds it);
#  2. starts `vanban serve` on 127.0.0.1 (loopback only) and warms it up;
#  3. for each query set of SETS (default "distinct short"), runs wrk RUNS
#     times (default 3): DURATION (30s), CONNECTIONS (32), THREADS (2),
#     GET /api/search (scripts/wrk-search.lua) over
#     - distinct: benches/queries/distinct.txt (20,000 distinct queries,
#       issue 13; see benches/queries/README.md), walked in order by all
#       threads together, each run starting where the previous one
#       stopped: no query repeats until the file is used up (`repeats`
#       counts requests past that), so the facet cache never answers;
#     - short: the 50 queries of corpus/queries/short.txt, cycled (what
#       the facet cache serves);
#  4. prints requests/s, p50/p90/p99, the server's CPU time per request
#     (user + system, ms: the figure the machine's other load moves least),
#     socket errors and non-2xx per run, their medians, and the server's
#     RSS before, during and after.
# Pinning (taskset): the server on SERVER_CPUS (default all cores, "0-1"
# on the 2-core machine), wrk on WRK_CPUS (default "0"), so wrk shares one
# core with the server; SERVER_CPUS=1 WRK_CPUS=0 gives each its own core
# (on 2 cores that halves the server). The choice is printed with the
# results, with the load average before and after.
# VANBAN_BIN runs another build (e.g. an older binary, for before/after);
# SERVE_ARGS adds arguments to `vanban serve`.
# Needs wrk (Debian package; installed when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${VANBAN_SHARED:-../shared}
RUNS=${RUNS:-3}
DURATION=${DURATION:-30s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PORT=${PORT:-18765}
HOST=127.0.0.1   # never anything but loopback
TARGET=${CARGO_TARGET_DIR:-target}
DATA=${BENCH_DATA:-$TARGET/bench-load-data}
SETS=${SETS:-distinct short}
ALL_CPUS="0-$(($(nproc) - 1))"
SERVER_CPUS=${SERVER_CPUS:-$ALL_CPUS}
WRK_CPUS=${WRK_CPUS:-0}
SHORT=$SHARED/corpus/queries/short.txt
DISTINCT=benches/queries/distinct.txt

if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

if [ -n "${VANBAN_BIN:-}" ]; then
  BIN=$VANBAN_BIN
else
  cargo build --release --quiet
  BIN=$TARGET/release/vanban
fi

if [ "${FRESH:-0}" = 1 ] || [ ! -f "$DATA/CURRENT" ]; then
  rm -rf "$DATA"
  echo "ingesting $SHARED/corpus/phapdien/articles.jsonl into $DATA ..."
  "$BIN" --data-dir "$DATA" ingest "$SHARED/corpus/phapdien/articles.jsonl" 2>&1 | tail -1
fi

LOG=$(mktemp)
# SERVE_ARGS: more arguments of `vanban serve` (e.g. "--max-searches 2").
# shellcheck disable=SC2086
taskset -c "$SERVER_CPUS" "$BIN" --data-dir "$DATA" serve --addr "$HOST:$PORT" ${SERVE_ARGS:-} >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 100); do
  curl -sf "http://$HOST:$PORT/healthz" >/dev/null && break
  sleep 0.1
done
curl -sf "http://$HOST:$PORT/healthz" >/dev/null || { cat "$LOG"; exit 1; }

rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER/status"; }
# The server's CPU time so far (user + system, all threads), in ms: per
# request, it is what the load of the other processes on the machine
# changes least (wall-clock figures move with it).
TICK_MS=$((1000 / $(getconf CLK_TCK)))
cpu_ms() { awk -v t="$TICK_MS" '{print ($14 + $15) * t}' "/proc/$SERVER/stat"; }

# Warm-up: every short query once, then a short burst of each set (the
# distinct burst from the end of the file, which the runs reach last).
python3 - "$SHORT" "$HOST" "$PORT" <<'PY'
import sys, urllib.parse, urllib.request
qs, host, port = sys.argv[1], sys.argv[2], sys.argv[3]
for q in open(qs, encoding="utf-8"):
    q = q.strip()
    if q:
        urllib.request.urlopen(f"http://{host}:{port}/api/search?q={urllib.parse.quote(q)}").read()
PY
NQ=$(grep -c . "$DISTINCT")
VANBAN_QUERIES=$SHORT taskset -c "$WRK_CPUS" wrk -t"$THREADS" -c"$CONNECTIONS" -d3s \
  -s scripts/wrk-search.lua "http://$HOST:$PORT" >/dev/null
VANBAN_QUERIES=$DISTINCT WALK=1 WRK_THREADS=$THREADS START=$((NQ - 2000)) \
  taskset -c "$WRK_CPUS" wrk -t"$THREADS" -c"$CONNECTIONS" -d2s \
  -s scripts/wrk-search.lua "http://$HOST:$PORT" >/dev/null
echo "documents: $(curl -s "http://$HOST:$PORT/api/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')"
echo "machine: $(nproc) cores; server${SERVE_ARGS:+ ($SERVE_ARGS)} on CPUs $SERVER_CPUS, wrk on CPUs $WRK_CPUS (taskset); $THREADS wrk threads, $CONNECTIONS connections, $DURATION a run"
echo "uptime before: $(uptime)"
echo "server RSS after warm-up: $(rss) MB"

OUT=$(mktemp -d)
START=0
for set in $SETS; do
  case $set in
    distinct) export VANBAN_QUERIES=$DISTINCT WALK=1 ;;
    short) export VANBAN_QUERIES=$SHORT WALK=0 ;;
    *) echo "unknown query set $set (distinct, short)"; exit 2 ;;
  esac
  echo "== $set: $VANBAN_QUERIES"
  for r in $(seq "$RUNS"); do
    before=$(rss)
    cpu_before=$(cpu_ms)
    load_before=$(cut -d' ' -f1 /proc/loadavg)
    # Sample the server's RSS every second during the run.
    ( while kill -0 "$SERVER" 2>/dev/null; do rss >> "$OUT/rss.$set.$r"; echo >> "$OUT/rss.$set.$r"; sleep 1; done ) &
    SAMPLER=$!
    START=$START WRK_THREADS=$THREADS taskset -c "$WRK_CPUS" \
      wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s scripts/wrk-search.lua \
      "http://$HOST:$PORT" > "$OUT/wrk.$set.$r"
    kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true
    peak=$(grep -v '^$' "$OUT/rss.$set.$r" | sort -n | tail -1)
    after=$(rss)
    line=$(grep '^result' "$OUT/wrk.$set.$r" | sed 's/^result //' | tr '\n' ' ')
    reqs=$(echo "$line" | sed 's/.*requests=\([0-9]*\).*/\1/')
    line="$line cpu_ms_per_req=$(awk -v c="$(( $(cpu_ms) - cpu_before ))" -v n="$reqs" 'BEGIN {printf "%.3f", n ? c / n : 0}')"
    if [ "$set" = distinct ]; then
      START=$(( (START + reqs) % NQ ))
    fi
    echo "run $r: $line rss_before_mb=$before rss_peak_mb=$peak rss_after_mb=$after load=$load_before..$(cut -d' ' -f1 /proc/loadavg)"
    echo "$line rss_before_mb=$before rss_after_mb=$after" >> "$OUT/all.$set"
  done
  python3 - "$OUT/all.$set" "$set" <<'PY'
import sys, statistics
runs = [dict(kv.split("=") for kv in l.split()) for l in open(sys.argv[1])]
med = lambda k: statistics.median(float(r[k]) for r in runs)
print(f"{sys.argv[2]}: median of {len(runs)} runs: {med('rps'):.0f} requests/s, p50 {med('p50_ms'):.2f} ms, "
      f"p90 {med('p90_ms'):.2f} ms, p99 {med('p99_ms'):.2f} ms, server CPU {med('cpu_ms_per_req'):.3f} ms a request; "
      f"socket errors {sum(int(r['socket_errors']) for r in runs)}, non-2xx {sum(int(r['non2xx']) for r in runs)}, "
      f"repeated queries {sum(int(r.get('repeats', 0)) for r in runs)}; "
      f"RSS {runs[0]['rss_before_mb']} MB before the first run, {runs[-1]['rss_after_mb']} MB after the last")
PY
done
echo "uptime after: $(uptime)"
rm -rf "$OUT"
