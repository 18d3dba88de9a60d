#!/usr/bin/env bash
# Ingest and query-latency benchmark (issue 2), on this machine:
#  1. full ingest of corpus/phapdien/articles.jsonl into a fresh data dir,
#     RUNS times: wall time and peak RSS of each run, then the median;
#  2. `vanban search --batch` over the 430 ALQAC questions on that index
#     (warm: run twice, the second counts): took_ms p50 / p90 / p99.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${VANBAN_SHARED:-../shared}
RUNS=${RUNS:-3}
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/vanban
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

walls=(); rss=()
for i in $(seq "$RUNS"); do
  rm -rf "$WORK/data"
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" --data-dir "$WORK/data" ingest "$SHARED/corpus/phapdien/articles.jsonl" 2>"$WORK/log" || { cat "$WORK/log"; exit 1; }
  read -r wall kb < "$WORK/time"
  echo "ingest run $i: ${wall}s wall, peak RSS $((kb / 1024)) MB ($(tail -1 "$WORK/log"))"
  walls+=("$wall"); rss+=("$kb")
done
python3 - "${walls[@]}" <<'PY'
import sys, statistics
w = [float(x) for x in sys.argv[1:]]
print(f"ingest median wall: {statistics.median(w):.2f}s over {len(w)} runs")
PY

python3 - "$SHARED/corpus/alqac2024/unverified_train.json" > "$WORK/questions.txt" <<'PY'
import json, sys
for q in json.load(open(sys.argv[1])):
    print(" ".join(q["text"].split()))
PY
"$BIN" --data-dir "$WORK/data" search --batch "$WORK/questions.txt" > /dev/null
"$BIN" --data-dir "$WORK/data" search --batch "$WORK/questions.txt" > "$WORK/out.jsonl"
python3 - "$WORK/out.jsonl" <<'PY'
import json, sys
t = sorted(json.loads(l)["took_ms"] for l in open(sys.argv[1]))
pct = lambda p: t[min(len(t) - 1, int(p / 100 * len(t)))]
print(f"search --batch over {len(t)} ALQAC questions (warm): p50 {pct(50):.2f} ms, p90 {pct(90):.2f} ms, p99 {pct(99):.2f} ms")
PY
