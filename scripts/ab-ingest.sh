#!/usr/bin/env bash
# Back-to-back ingest A/B (issue 13): ingests corpus/phapdien/articles.jsonl
# into a fresh data dir with each binary in turn, RUNS rounds, alternating
# (A, B, ..., A, B, ...), and prints wall, user and system CPU seconds and
# peak RSS of every run, then the medians. On a shared machine CPU seconds
# (user + sys) compare better than wall time. `peer` as a binary name runs
# tantivy-py (scripts/peer_tantivy.py, installed by bench-peer.sh).
#
#   cp target/release/vanban /tmp/vanban-a   # build, copy, change, build ...
#   RUNS=4 bash scripts/ab-ingest.sh /tmp/vanban-a target/release/vanban peer
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${VANBAN_SHARED:-../shared}
RUNS=${RUNS:-3}
ARTICLES="$SHARED/corpus/phapdien/articles.jsonl"
PY=${CARGO_TARGET_DIR:-target}/peer-venv/bin/python
[[ -f $ARTICLES ]] || { echo "missing $ARTICLES (set VANBAN_SHARED)" >&2; exit 1; }
(($#)) || { echo "usage: $0 BIN... (or peer)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "load before: $(uptime)"
for i in $(seq "$RUNS"); do
  for b in "$@"; do
    rm -rf "$WORK/d"
    if [[ $b == peer ]]; then
      cmd=("$PY" scripts/peer_tantivy.py ingest "$WORK/d" "$ARTICLES")
    else
      cmd=("$b" --data-dir "$WORK/d" ingest "$ARTICLES")
    fi
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "${cmd[@]}" >/dev/null 2>"$WORK/log" \
      || { echo "$b failed:"; cat "$WORK/log"; exit 1; }
    read -r wall user sys kb < "$WORK/time"
    echo "$b: ${wall}s wall, ${user}s user, ${sys}s sys, peak RSS $((kb / 1024)) MB"
    echo "$b $wall $user $sys $kb" >> "$WORK/all"
  done
done
echo "load after: $(uptime)"
python3 - "$WORK/all" <<'PY'
import collections, statistics, sys
runs = collections.defaultdict(list)
for line in open(sys.argv[1]):
    b, wall, user, sys_, kb = line.split()
    runs[b].append((float(wall), float(user) + float(sys_), int(kb) / 1024))
for b, r in runs.items():
    print(f"{b}: median wall {statistics.median(w for w, _, _ in r):.2f}s, "
          f"median CPU {statistics.median(c for _, c, _ in r):.2f}s, "
          f"peak RSS {max(m for _, _, m in r):.0f} MB over {len(r)} runs")
PY
