#!/usr/bin/env bash
# vanban side by side with tantivy-py (issue 13), in one run on this machine:
#  1. ingest corpus/phapdien/articles.jsonl into a fresh index, RUNS times
#     each, alternating (vanban, peer, vanban, peer ...): wall time and peak
#     RSS of every run (/usr/bin/time), medians and the vanban/peer ratio;
#  2. query latency over ALQAC questions, warm (one untimed pass first):
#     vanban `search --batch` took_ms (snippets included) against
#     tantivy-py timed in-process per query (parse + top 10 + fetch the docs
#     + an HTML snippet per hit); p50/p90/p99 and the p50 ratio.
# The peer (scripts/peer_tantivy.py) indexes title + body in one stored
# text field with tantivy's default analyzer plus ASCII folding (đ → d),
# the id stored, writer budget as vanban's (256 MB, 2 threads).
#
#   RUNS=3 QUESTIONS=100 bash scripts/bench-peer.sh
#
# QUESTIONS: the first N questions of corpus/alqac2024/unverified_train.json
# (default 100; `all` = 430). The corpus has no separate dev file: the
# expert-verified train.json its README names is not shipped, so the
# unverified questions are both the quality bench's and this bench's
# queries. PEER_VERSION pins the tantivy-py release (PyPI), installed into
# target/peer-venv on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${VANBAN_SHARED:-../shared}
RUNS=${RUNS:-3}
QUESTIONS=${QUESTIONS:-100}
PEER_VERSION=${PEER_VERSION:-0.27.0}
ARTICLES="$SHARED/corpus/phapdien/articles.jsonl"
ALQAC="$SHARED/corpus/alqac2024/unverified_train.json"
for f in "$ARTICLES" "$ALQAC"; do
  [[ -f $f ]] || { echo "missing $f (set VANBAN_SHARED)" >&2; exit 1; }
done

nice -n 10 cargo build --release --quiet
BIN=${CARGO_TARGET_DIR:-target}/release/vanban
VENV=${CARGO_TARGET_DIR:-target}/peer-venv
if ! "$VENV/bin/python" -c "import tantivy" 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "tantivy==$PEER_VERSION"
fi
PY="$VENV/bin/python"
PEER="scripts/peer_tantivy.py"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
echo "load before: $(uptime)"
echo "vanban $(git rev-parse --short HEAD 2>/dev/null || echo '?'), tantivy-py $("$PY" -c 'import tantivy; print(tantivy.__version__)')"

# timed LABEL COMMAND...: times one ingest, appends "wall kb" to LABEL.times.
timed() {
  local label=$1; shift
  /usr/bin/time -f '%e %M' -o "$WORK/time" "$@" 2>"$WORK/log" >/dev/null \
    || { echo "$label failed:"; cat "$WORK/log"; exit 1; }
  read -r wall kb < "$WORK/time"
  echo "$label: ${wall}s wall, peak RSS $((kb / 1024)) MB ($(grep -v '^\s*$' "$WORK/log" | tail -1))"
  echo "$wall $kb" >> "$WORK/$label.times"
}

for i in $(seq "$RUNS"); do
  rm -rf "$WORK/vanban" "$WORK/peer"
  timed vanban "$BIN" --data-dir "$WORK/vanban" ingest "$ARTICLES"
  timed peer "$PY" "$PEER" ingest "$WORK/peer" "$ARTICLES"
done

python3 - "$ALQAC" "$QUESTIONS" > "$WORK/questions.txt" <<'PY'
import json, sys
qs = json.load(open(sys.argv[1], encoding="utf-8"))
n = len(qs) if sys.argv[2] == "all" else int(sys.argv[2])
for q in qs[:n]:
    print(" ".join(q["text"].split()))
PY
"$BIN" --data-dir "$WORK/vanban" search --batch "$WORK/questions.txt" > /dev/null
"$BIN" --data-dir "$WORK/vanban" search --batch "$WORK/questions.txt" > "$WORK/vanban.jsonl"
"$PY" "$PEER" query "$WORK/peer" "$WORK/questions.txt" "$WORK/peer.jsonl" 1
echo "load after: $(uptime)"

python3 - "$WORK" <<'PY'
import json, statistics, sys
work = sys.argv[1]
def times(label):
    rows = [l.split() for l in open(f"{work}/{label}.times")]
    return [float(w) for w, _ in rows], [int(k) / 1024 for _, k in rows]
vw, vr = times("vanban")
pw, pr = times("peer")
mv, mp = statistics.median(vw), statistics.median(pw)
print(f"ingest median wall over {len(vw)} runs: vanban {mv:.2f}s (peak RSS {max(vr):.0f} MB), "
      f"tantivy-py {mp:.2f}s (peak RSS {max(pr):.0f} MB): {mv / mp:.2f}x")
def lat(path):
    t = sorted(json.loads(l)["took_ms"] for l in open(path))
    pct = lambda p: t[min(len(t) - 1, int(p / 100 * len(t)))]
    return len(t), pct(50), pct(90), pct(99)
n, v50, v90, v99 = lat(f"{work}/vanban.jsonl")
_, p50, p90, p99 = lat(f"{work}/peer.jsonl")
print(f"query over {n} ALQAC questions (warm, snippets): "
      f"vanban p50 {v50:.2f} / p90 {v90:.2f} / p99 {v99:.2f} ms, "
      f"tantivy-py p50 {p50:.2f} / p90 {p90:.2f} / p99 {p99:.2f} ms: p50 {v50 / p50:.2f}x")
PY
