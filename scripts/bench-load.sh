#!/usr/bin/env bash
# Load benchmark of the search service (issue 5), by hand, never a test:
#  1. ingests corpus/phapdien/articles.jsonl into a data dir (kept between
#     runs under target/bench-load-data; FRESH=1 rebuilds it);
#  2. starts `vanban serve` on 127.0.0.1 (loopback only) and warms it up;
#  3. runs wrk RUNS times (default 3): DURATION (30s), CONNECTIONS (32),
#     THREADS (2), GET /api/search cycling through the 50 queries of
#     corpus/queries/short.txt (scripts/wrk-search.lua);
#  4. prints requests/s, p50/p90/p99, socket errors and non-2xx per run,
#     their medians, and the server's RSS before, during and after.
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
export VANBAN_QUERIES=${VANBAN_QUERIES:-$SHARED/corpus/queries/short.txt}

if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

cargo build --release --quiet
BIN=$TARGET/release/vanban

if [ "${FRESH:-0}" = 1 ] || [ ! -f "$DATA/CURRENT" ]; then
  rm -rf "$DATA"
  echo "ingesting $SHARED/corpus/phapdien/articles.jsonl into $DATA ..."
  "$BIN" --data-dir "$DATA" ingest "$SHARED/corpus/phapdien/articles.jsonl" 2>&1 | tail -1
fi

LOG=$(mktemp)
"$BIN" --data-dir "$DATA" serve --addr "$HOST:$PORT" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 100); do
  curl -sf "http://$HOST:$PORT/healthz" >/dev/null && break
  sleep 0.1
done
curl -sf "http://$HOST:$PORT/healthz" >/dev/null || { cat "$LOG"; exit 1; }

rss() { awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$SERVER/status"; }

# Warm-up: every query once, then a short burst.
python3 - "$VANBAN_QUERIES" "$HOST" "$PORT" <<'PY'
import sys, urllib.parse, urllib.request
qs, host, port = sys.argv[1], sys.argv[2], sys.argv[3]
for q in open(qs, encoding="utf-8"):
    q = q.strip()
    if q:
        urllib.request.urlopen(f"http://{host}:{port}/api/search?q={urllib.parse.quote(q)}").read()
PY
wrk -t"$THREADS" -c"$CONNECTIONS" -d5s -s scripts/wrk-search.lua "http://$HOST:$PORT" >/dev/null
echo "documents: $(curl -s "http://$HOST:$PORT/api/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["documents"])')"
echo "machine: $(nproc) cores, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server RSS after warm-up: $(rss) MB"

OUT=$(mktemp -d)
for r in $(seq "$RUNS"); do
  before=$(rss)
  # Sample the server's RSS every second during the run.
  ( while kill -0 "$SERVER" 2>/dev/null; do rss >> "$OUT/rss.$r"; echo >> "$OUT/rss.$r"; sleep 1; done ) &
  SAMPLER=$!
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s scripts/wrk-search.lua \
    "http://$HOST:$PORT" > "$OUT/wrk.$r"
  kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true
  peak=$(grep -v '^$' "$OUT/rss.$r" | sort -n | tail -1)
  after=$(rss)
  line=$(grep '^result' "$OUT/wrk.$r" | sed 's/^result //' | tr '\n' ' ')
  echo "run $r: $line rss_before_mb=$before rss_peak_mb=$peak rss_after_mb=$after load=$(cut -d' ' -f1 /proc/loadavg)"
  echo "$line rss_before_mb=$before rss_after_mb=$after" >> "$OUT/all"
done
python3 - "$OUT/all" <<'PY'
import sys, statistics
runs = [dict(kv.split("=") for kv in l.split()) for l in open(sys.argv[1])]
med = lambda k: statistics.median(float(r[k]) for r in runs)
print(f"median of {len(runs)} runs: {med('rps'):.0f} requests/s, p50 {med('p50_ms'):.2f} ms, "
      f"p90 {med('p90_ms'):.2f} ms, p99 {med('p99_ms'):.2f} ms; "
      f"socket errors {sum(int(r['socket_errors']) for r in runs)}, non-2xx {sum(int(r['non2xx']) for r in runs)}; "
      f"RSS {runs[0]['rss_before_mb']} MB before the first run, {runs[-1]['rss_after_mb']} MB after the last")
PY
rm -rf "$OUT"
