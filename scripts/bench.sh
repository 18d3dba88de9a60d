#!/usr/bin/env bash
# Every benchmark, rerunnable, with one summary at the end (issue 13,
# item 5).
#
#   bash scripts/bench.sh                 # the default parts (below)
#   bash scripts/bench.sh analyzer refs   # only these parts
#   bash scripts/bench.sh --quick ...     # criterion: 1 s warm-up, 5 s measuring
#
# Parts:
#   criterion benches (timed; median and throughput from
#   target/criterion/*/new/estimates.json):
#     analyzer   analyzer throughput over corpus/tvpl (exact, folded)
#     refs       refs::citations / scan_numbers over corpus/tvpl
#     ingest     ingest of 5,000 Pháp điển articles + 20 tvpl texts
#     query      query latency (benches/query.rs, when present)
#   report benches (they print figures of their own, shown as they are):
#     alqac      ALQAC 2024 Recall@1/@10, MRR@10 (accented, stripped)
#     understanding  query understanding top-1 (benches/query_understanding.rs)
#     crawl      crawl pages/s over a generated loopback site (slow)
#   scripts:
#     bench-ingest  full Pháp điển ingest + ALQAC search --batch latency
#     bench-load    wrk against `vanban serve` (needs wrk; 3 × 30 s)
#     bench-peer    side by side with tantivy-py (when the script exists)
#     bench-scale   1x/2x (SIZES) scale corpus: ingest, sizes, latency
#
# Default: analyzer refs ingest query alqac understanding bench-ingest
# bench-load bench-peer. crawl and bench-scale run only when named (they
# take long); SIZES="1 2 5 10" bash scripts/bench.sh bench-scale for the
# whole curve. Results go to target/bench-summary.txt as well.
set -uo pipefail
cd "$(dirname "$0")/.."
T=${CARGO_TARGET_DIR:-target}
CRITERION_ARGS=()
PARTS=()
for a in "$@"; do
  case $a in
    --quick) CRITERION_ARGS=(--warm-up-time 1 --measurement-time 5) ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) PARTS+=("$a") ;;
  esac
done
((${#PARTS[@]})) || PARTS=(analyzer refs ingest query alqac understanding bench-ingest bench-load bench-peer)

LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT
START=$(date +%s)
failed=()
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# Runs one part, its output both to the terminal and to $LOG/<part>.
run() {
  local name=$1; shift
  echo
  echo "==== $name: $*"
  "$@" 2>&1 | tee "$LOG/$name"
  [[ ${PIPESTATUS[0]} == 0 ]] || failed+=("$name")
}

for p in "${PARTS[@]}"; do
  case $p in
    analyzer|refs|ingest|query|crawl|alqac)
      if [[ ! -f benches/$p.rs ]]; then echo "(no benches/$p.rs: $p skipped)"; continue; fi
      if [[ $p == crawl || $p == alqac ]]; then
        run "$p" nice -n 10 cargo bench --quiet --bench "$p"
      else
        run "$p" nice -n 10 cargo bench --quiet --bench "$p" -- "${CRITERION_ARGS[@]}"
      fi ;;
    understanding) run "$p" nice -n 10 cargo bench --quiet --bench query_understanding ;;
    bench-ingest|bench-load|bench-peer|bench-scale)
      if [[ ! -f scripts/$p.sh ]]; then echo "(no scripts/$p.sh: $p skipped)"; continue; fi
      run "$p" bash "scripts/$p.sh" ;;
    *) echo "unknown part: $p (see --help)" >&2; exit 2 ;;
  esac
done

{
  echo
  echo "==== summary ($(date -u '+%Y-%m-%d %H:%M UTC'), load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
  python3 - "$T/criterion" "$START" <<'PY'
import json, os, sys
root, start = sys.argv[1], float(sys.argv[2])
rows = []
for dirpath, _, files in os.walk(root):
    if os.path.basename(dirpath) != "new" or "estimates.json" not in files:
        continue
    est = os.path.join(dirpath, "estimates.json")
    if os.path.getmtime(est) < start:
        continue  # not from this run
    try:
        median = json.load(open(est))["median"]["point_estimate"]  # ns
        meta = json.load(open(os.path.join(dirpath, "benchmark.json")))
    except (OSError, ValueError, KeyError):
        continue
    name = meta.get("full_id") or os.path.relpath(os.path.dirname(dirpath), root)
    tp, rate = meta.get("throughput") or {}, ""
    if "Bytes" in tp:
        rate = f"{tp['Bytes'] / (median / 1e9) / 1e6:,.1f} MB/s"
    elif "BytesDecimal" in tp:
        rate = f"{tp['BytesDecimal'] / (median / 1e9) / 1e6:,.1f} MB/s"
    elif "Elements" in tp:
        rate = f"{tp['Elements'] / (median / 1e9):,.0f} elements/s"
    rows.append((name, median, rate))
if rows:
    print("criterion medians:")
    print(f"  {'bench':<44} {'median':>12}  throughput")
    for name, m, rate in sorted(rows):
        t = f"{m / 1e6:.2f} ms" if m >= 1e5 else f"{m / 1e3:.2f} µs"
        print(f"  {name:<44} {t:>12}  {rate}")
PY
  # The report benches and the scripts print their own medians; their last
  # lines of figures.
  for f in alqac understanding crawl bench-ingest bench-load bench-peer bench-scale; do
    [[ -f $LOG/$f ]] || continue
    echo "$f:"
    case $f in
      alqac) grep -E 'R@1|MRR|Recall' "$LOG/$f" | sed 's/^/  /' ;;
      understanding) grep -E '^(tuned families|overall)' "$LOG/$f" | sed 's/^/  /' ;;
      bench-scale) sed -n '/^| size/,$p' "$LOG/$f" | sed 's/^/  /' ;;
      *) grep -iE 'median|p50|pages/s|requests/s' "$LOG/$f" | tail -6 | sed 's/^/  /' ;;
    esac
  done
  ((${#failed[@]})) && echo "FAILED: ${failed[*]}"
} | tee "$T/bench-summary.txt"
((${#failed[@]} == 0))
