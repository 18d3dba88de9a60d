#!/usr/bin/env bash
# Soak test (issue 9, item 6), by hand, never part of the test suite:
#   SOAK_SECONDS=600 bash scripts/soak.sh
#  1. ingests corpus/phapdien/articles.jsonl into a fresh data dir and
#     serves it (`vanban serve`, 127.0.0.1 only);
#  2. for SOAK_SECONDS (default 600), all at once:
#     - wrk (CONNECTIONS 32, THREADS 2, --timeout 30s) cycles through the
#       queries of corpus/queries/short.txt (scripts/wrk-soak.lua, which
#       counts answers by status and error code); DELAY_MS (default 0)
#       paces each connection (a pause between its requests), leaving CPU
#       to the reindex loop on a small machine;
#     - `vanban reindex --full` of the served data dir, in a loop (each
#       run switches the live generation);
#     - `vanban crawl` of the fixture site (fixtures/site, `{{origin}}`
#       filled in, served by python3 -m http.server on 127.0.0.1) into a
#       separate data dir, in a loop (--recrawl-after 0s);
#     - every SAMPLE seconds (default 5): the server's RSS and the
#       generation /healthz reports;
#  3. prints connection errors, answers by status and code, requests/s and
#     latency percentiles, generation switches (seen by reindex and by the
#     server), the RSS curve, and checks the requirements: 0 connection
#     errors; non-2xx only the designed 503 `busy` (with Retry-After), at
#     most 0.1%; >= 20 generation switches in 10 minutes (scaled to
#     SOAK_SECONDS); final RSS <= 1.1 x RSS at minute 2. Exit 1 when one
#     fails.
# Needs wrk (Debian package; installed when missing) and python3.
# Data stays in SOAK_DIR (default a fresh temporary directory, removed at
# the end unless KEEP=1).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${VANBAN_SHARED:-../shared}
SOAK_SECONDS=${SOAK_SECONDS:-600}
SAMPLE=${SAMPLE:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
PORT=${PORT:-18790}
SITE_PORT=${SITE_PORT:-18791}
HOST=127.0.0.1   # never anything but loopback
TARGET=${CARGO_TARGET_DIR:-target}
export VANBAN_QUERIES=${VANBAN_QUERIES:-$SHARED/corpus/queries/short.txt}
ARTICLES=$SHARED/corpus/phapdien/articles.jsonl
[ -f "$ARTICLES" ] || { echo "soak: $ARTICLES is missing (../shared or VANBAN_SHARED)" >&2; exit 2; }
[ -f "$VANBAN_QUERIES" ] || { echo "soak: $VANBAN_QUERIES is missing" >&2; exit 2; }

if ! command -v wrk >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq wrk >/dev/null
fi

cargo build --release --quiet
BIN=$TARGET/release/vanban
WORK=${SOAK_DIR:-$(mktemp -d /tmp/vanban-soak.XXXXXX)}
mkdir -p "$WORK"
DATA=$WORK/data
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] || [ -n "${SOAK_DIR:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

echo "soak: ${SOAK_SECONDS}s in $WORK, $CONNECTIONS connections, DELAY_MS=${DELAY_MS:-0}; machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$DATA"
start=$(date +%s.%N)
"$BIN" --data-dir "$DATA" ingest "$ARTICLES" >"$WORK/ingest.log" 2>&1 || { tail "$WORK/ingest.log"; exit 1; }
echo "ingest: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}')s, $(tail -1 "$WORK/ingest.log")"

"$BIN" --data-dir "$DATA" serve --addr "$HOST:$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
PIDS+=("$SERVER")
for _ in $(seq 100); do
  curl -sf "http://$HOST:$PORT/healthz" >/dev/null && break
  sleep 0.1
done
curl -sf "http://$HOST:$PORT/healthz" >/dev/null || { cat "$WORK/serve.log"; exit 1; }

# The fixture site, its {{origin}} filled in, on a loopback port.
SITE=$WORK/site
rm -rf "$SITE"
cp -r fixtures/site "$SITE"
grep -rl --null '{{origin}}' "$SITE" | xargs -0 -r sed -i "s#{{origin}}#http://$HOST:$SITE_PORT#g"
python3 -m http.server --bind "$HOST" --directory "$SITE" "$SITE_PORT" >"$WORK/site.log" 2>&1 &
PIDS+=("$!")
for _ in $(seq 50); do
  curl -sf "http://$HOST:$SITE_PORT/robots.txt" >/dev/null && break
  sleep 0.1
done

# Warm-up: every query once.
python3 - "$VANBAN_QUERIES" "$HOST" "$PORT" <<'PY'
import sys, urllib.parse, urllib.request
qs, host, port = sys.argv[1], sys.argv[2], sys.argv[3]
for q in open(qs, encoding="utf-8"):
    q = q.strip()
    if q:
        urllib.request.urlopen(f"http://{host}:{port}/api/search?q={urllib.parse.quote(q)}").read()
PY

T0=$(date +%s)
END=$((T0 + SOAK_SECONDS))
gen() {
  local g
  g=$(curl -s --max-time 5 "http://$HOST:$PORT/healthz" | grep -o '"generation":[0-9a-z]*' | cut -d: -f2)
  echo "${g:-?}"
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERVER/status"; }

# RSS and generation every SAMPLE seconds; the generation also every second.
( while [ "$(date +%s)" -lt "$END" ] && kill -0 "$SERVER" 2>/dev/null; do
    echo "$(( $(date +%s) - T0 )) $(rss_kb) $(gen)"
    sleep "$SAMPLE"
  done ) >"$WORK/rss.txt" &
PIDS+=("$!")
( while [ "$(date +%s)" -lt "$END" ]; do echo "$(( $(date +%s) - T0 )) $(gen)"; sleep 1; done ) >"$WORK/gen.txt" &
PIDS+=("$!")

# reindex --full in a loop, until the time is up.
( while [ "$(date +%s)" -lt "$END" ]; do
    s=$(date +%s.%N)
    if "$BIN" --data-dir "$DATA" reindex --full >>"$WORK/reindex.log" 2>&1; then rc=0; else rc=$?; fi
    echo "$(( $(date +%s) - T0 )) rc=$rc took=$(awk -v s="$s" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}') current=$(cat "$DATA/CURRENT" 2>/dev/null)"
  done ) >"$WORK/reindex.txt" &
PIDS+=("$!")

# A crawl of the fixture site in a loop, into its own data dir.
( while [ "$(date +%s)" -lt "$END" ]; do
    if "$BIN" --data-dir "$WORK/crawl" crawl "http://$HOST:$SITE_PORT/" --recrawl-after 0s \
        >>"$WORK/crawl.log" 2>&1; then rc=0; else rc=$?; fi
    echo "$(( $(date +%s) - T0 )) rc=$rc"
  done ) >"$WORK/crawl.txt" &
PIDS+=("$!")

wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SOAK_SECONDS}s" --timeout 30s --latency \
  -s scripts/wrk-soak.lua "http://$HOST:$PORT" >"$WORK/wrk.txt" 2>&1 || true
# Let the loops finish their current run (they stop at END).
for p in "${PIDS[@]:2}"; do wait "$p" 2>/dev/null || true; done
echo "final $(( $(date +%s) - T0 )) $(rss_kb) $(gen)" >>"$WORK/rss.txt"

grep -A4 'Latency Distribution' "$WORK/wrk.txt" || true
python3 - "$WORK" "$SOAK_SECONDS" <<'PY'
import re, sys
work, secs = sys.argv[1], int(sys.argv[2])
res = {}
for line in open(f"{work}/wrk.txt"):
    if line.startswith("result "):
        for kv in line.split()[1:]:
            k, v = kv.split("=", 1)
            res[k] = v
req = int(res.get("requests", 0))
conn_err = sum(int(res.get(k, 0)) for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
statuses = {k[7:]: int(v) for k, v in res.items() if k.startswith("status_")}
codes = {k[5:]: int(v) for k, v in res.items() if k.startswith("code_")}
non2xx = sum(v for s, v in statuses.items() if not s.startswith("2"))
busy = codes.get("503_busy", 0)
other = non2xx - busy
no_retry = int(res.get("unavailable_without_retry_after", 0))
print(f"requests: {req} in {float(res.get('duration_s', 0)):.0f}s = {float(res.get('rps', 0)):.0f}/s; "
      f"latency p50 {res.get('p50_ms')} ms, p90 {res.get('p90_ms')} ms, p99 {res.get('p99_ms')} ms, max {res.get('max_ms')} ms")
print(f"connection errors: {conn_err} (connect {res.get('connect_errors')}, read {res.get('read_errors')}, "
      f"write {res.get('write_errors')}, timeout {res.get('timeouts')})")
print(f"answers by status: {statuses}; non-2xx by code: {codes or '{}'}; 503 without Retry-After: {no_retry}")

reindex = [l.split() for l in open(f"{work}/reindex.txt")]
ok = [r for r in reindex if r[1] == "rc=0"]
took = sorted(float(r[2].split("=")[1]) for r in ok)
gens = [l.split() for l in open(f"{work}/gen.txt")]
switches, last = 0, None
for t, g in gens:
    if g not in ("?", "None", "null"):
        if last is not None and g != last:
            switches += 1
        last = g
print(f"reindex --full: {len(reindex)} runs, {len(ok)} succeeded"
      + (f", median {took[len(took)//2]:.1f}s, slowest {took[-1]:.1f}s" if took else "")
      + f"; generation switches seen by the server (/healthz, every 1 s): {switches}")
crawls = [l.split() for l in open(f"{work}/crawl.txt")]
print(f"crawl of the fixture site: {len(crawls)} runs, exit codes {sorted(set(c[1] for c in crawls))}")

rss = []
for l in open(f"{work}/rss.txt"):
    p = l.split()
    if p[0] == "final":
        p = p[1:]
    if len(p) >= 2 and p[1].isdigit():
        rss.append((int(p[0]), int(p[1]) / 1024, p[2] if len(p) > 2 else "?"))
at2 = min(rss, key=lambda r: abs(r[0] - 120))
final = rss[-1]
curve = []
for m in range(0, secs // 60 + 1):
    r = min(rss, key=lambda r: abs(r[0] - 60 * m))
    curve.append(f"{r[0]}s {r[1]:.0f} MB")
print("RSS curve: " + ", ".join(curve) + f", final {final[1]:.0f} MB; peak {max(r[1] for r in rss):.0f} MB")
ratio = final[1] / at2[1]
print(f"RSS at minute 2 ({at2[0]}s): {at2[1]:.1f} MB; final: {final[1]:.1f} MB; ratio {ratio:.3f}")

need_switches = max(1, 20 * secs // 600)
checks = [
    ("0 connection errors", conn_err == 0),
    ("non-2xx only 503 busy", other == 0 and no_retry == 0),
    ("503 busy <= 0.1%", busy <= 0.001 * max(req, 1)),
    (f">= {need_switches} generation switches", switches >= need_switches),
    ("final RSS <= 1.1 x RSS at minute 2", ratio <= 1.1),
]
for name, passed in checks:
    print(f"  {'PASS' if passed else 'FAIL'}  {name}")
sys.exit(0 if all(p for _, p in checks) else 1)
PY
