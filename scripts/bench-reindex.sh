#!/usr/bin/env bash
# Reindex benchmark (issue 6): ingest corpus/phapdien/articles.jsonl and
# corpus/tvpl into a fresh data dir (wall, peak RSS), then `reindex --full`
# of that store RUNS times (wall, documents/s, peak RSS each; median wall).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${VANBAN_SHARED:-../shared}
RUNS=${RUNS:-3}
cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/vanban
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

/usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" --data-dir "$WORK/data" ingest \
  "$SHARED/corpus/phapdien/articles.jsonl" "$SHARED/corpus/tvpl" 2>"$WORK/log" || { cat "$WORK/log"; exit 1; }
read -r wall kb < "$WORK/time"
echo "ingest: ${wall}s wall, peak RSS $((kb / 1024)) MB ($(tail -1 "$WORK/log"))"

walls=()
for i in $(seq "$RUNS"); do
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$BIN" --data-dir "$WORK/data" reindex --full 2>"$WORK/log" || { cat "$WORK/log"; exit 1; }
  read -r wall kb < "$WORK/time"
  echo "reindex --full run $i: ${wall}s wall, peak RSS $((kb / 1024)) MB ($(tail -1 "$WORK/log"))"
  walls+=("$wall")
done
python3 - "${walls[@]}" <<'PY'
import sys, statistics
w = [float(x) for x in sys.argv[1:]]
print(f"reindex --full median wall: {statistics.median(w):.2f}s over {len(w)} runs")
PY
