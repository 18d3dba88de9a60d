#!/usr/bin/env bash
# Scale benchmark (issue 13, item 4): ingest and query at 1x, 2x, 5x and 10x
# a realistic corpus (examples/scale_corpus.rs: Pháp điển + tvpl, copies
# k > 0 with perturbed ids, numbers and words; 1x = 62,537 documents,
# ~174 MB of JSONL). For each size, into a fresh data dir:
#  - `vanban ingest` of the copies: wall time, CPU time (user + sys) and
#    peak RSS (/usr/bin/time);
#  - size on disk: the data dir, the index generations, the store;
#  - `vanban search --batch` took_ms p50/p99 (warm: one run first) over the
#    430 ALQAC questions and the 50 short queries of corpus/queries/short.txt
#    (run SHORT_REPEAT times);
#  - with SERVE=1: the RSS of `vanban serve` after answering the short
#    queries once over HTTP.
# Then a table, and the ingest time per document relative to the smallest
# size (linear = 1.00; the target is <= 1.2 at 10x), by wall time and by
# CPU time (the CPU figure holds up better on a loaded machine).
#
#   SIZES="1 2 5 10" bash scripts/bench-scale.sh    # default "1 2 5 10"
#   KEEP=1 ...       keep the generated corpora and data dirs (target/scale)
#   KEEP=corpus ...  keep the corpora only (a rerun reuses them)
#   SERVE=1 ...      also measure the server's RSS
#
# The machine's load average is printed with each ingest: wall times are
# only comparable on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${VANBAN_SHARED:-../shared}
SIZES=${SIZES:-1 2 5 10}
KEEP=${KEEP:-0}
SERVE=${SERVE:-0}
SHORT_REPEAT=${SHORT_REPEAT:-4}
OUT=${SCALE_DIR:-target/scale}
T=${CARGO_TARGET_DIR:-target}
export VANBAN_SHARED=$SHARED

nice -n 10 cargo build --release --quiet --bin vanban --example scale_corpus
BIN=$T/release/vanban
GEN=$T/release/examples/scale_corpus
mkdir -p "$OUT"

max=0
for n in $SIZES; do ((n > max)) && max=$n; done
# ~174 MB of JSONL and ~430 MB of data dir per copy (measured at 1x), with
# a margin; corpora already generated count as present.
have_mb=$(df -Pm "$OUT" | awk 'NR == 2 {print $4}')
present_mb=$(du -sm "$OUT" 2>/dev/null | cut -f1)
need_mb=$((max * (180 + 500) - present_mb))
echo "disk: ${have_mb} MB free in $OUT, about ${need_mb} MB needed for ${max}x"
total=0
for n in $SIZES; do total=$((total + n)); done
# ~10-15 s of ingest per 1x on a quiet 2-core machine (1x measured at
# 59 s wall with load average 7), plus the queries.
echo "time: ~$((total * 15 / 60 + 1)) min of ingest on a quiet machine for SIZES=\"$SIZES\" (several times that under load; load average now $(cut -d' ' -f1 /proc/loadavg))"
if ((need_mb > have_mb)); then
  echo "not enough disk space for SIZES=\"$SIZES\"" >&2
  exit 1
fi

WORK=$(mktemp -d)
cleanup() {
  [[ -n ${SERVER_PID:-} ]] && kill "$SERVER_PID" 2>/dev/null || true
  rm -rf "$WORK"
  [[ $KEEP == 1 ]] || rm -rf "$OUT"/data-*
  [[ $KEEP == 1 || $KEEP == corpus ]] || rm -f "$OUT"/copy-v*.jsonl
}
trap cleanup EXIT

python3 - "$SHARED/corpus/alqac2024/unverified_train.json" > "$WORK/alqac.txt" <<'PY'
import json, sys
for q in json.load(open(sys.argv[1])):
    print(" ".join(q["text"].split()))
PY
: > "$WORK/short.txt"
for _ in $(seq "$SHORT_REPEAT"); do cat "$SHARED/corpus/queries/short.txt" >> "$WORK/short.txt"; done

# took_ms p50 and p99 of a `search --batch` output.
pcts() {
  python3 - "$1" <<'PY'
import json, sys
t = sorted(json.loads(l)["took_ms"] for l in open(sys.argv[1]))
pct = lambda p: t[min(len(t) - 1, int(p / 100 * len(t)))]
print(f"{pct(50):.2f} {pct(99):.2f}")
PY
}

"$GEN" --copies "$max" --out "$OUT"
echo "size docs ingest_s cpu_s peak_rss_mb data_mb index_mb store_mb alqac_p50 alqac_p99 short_p50 short_p99 serve_rss_mb load" > "$WORK/table"
for n in $SIZES; do
  files=()
  for ((k = 0; k < n; k++)); do files+=("$(printf '%s/copy-v1-%02d.jsonl' "$OUT" "$k")"); done
  data=$OUT/data-$n
  rm -rf "$data"
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "== ${n}x: ingest of ${#files[@]} files (load average $load)"
  /usr/bin/time -f '%e %M %U %S' -o "$WORK/time" "$BIN" --data-dir "$data" ingest "${files[@]}" 2> "$WORK/log" \
    || { tail -20 "$WORK/log"; exit 1; }
  read -r wall kb user sys < "$WORK/time"
  cpu=$(python3 -c "print(round($user + $sys, 1))")
  summary=$(grep 'ingested' "$WORK/log" | tail -1)
  docs=$("$BIN" --data-dir "$data" stats --json | python3 -c 'import json, sys; print(json.load(sys.stdin)["documents"])')
  echo "$summary; CPU ${cpu}s, peak RSS $((kb / 1024)) MB"
  data_mb=$(du -sm "$data" | cut -f1)
  index_mb=$(du -sm "$data/generations" | cut -f1)
  store_mb=$(du -cm "$data"/store.sqlite* | tail -1 | cut -f1)
  "$BIN" --data-dir "$data" search --batch "$WORK/alqac.txt" > /dev/null
  "$BIN" --data-dir "$data" search --batch "$WORK/alqac.txt" > "$WORK/alqac.jsonl"
  "$BIN" --data-dir "$data" search --batch "$WORK/short.txt" > "$WORK/short.jsonl"
  read -r a50 a99 <<< "$(pcts "$WORK/alqac.jsonl")"
  read -r s50 s99 <<< "$(pcts "$WORK/short.jsonl")"
  serve_mb=-
  if [[ $SERVE == 1 ]]; then
    port=$((20000 + RANDOM % 20000))
    "$BIN" --data-dir "$data" serve --addr "127.0.0.1:$port" > "$WORK/serve.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" > /dev/null && break; sleep 0.2; done
    while read -r q; do
      curl -fs -G "http://127.0.0.1:$port/api/search" --data-urlencode "q=$q" > /dev/null || true
    done < "$SHARED/corpus/queries/short.txt"
    serve_mb=$(($(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status") / 1024))
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
  echo "$n $docs $wall $cpu $((kb / 1024)) $data_mb $index_mb $store_mb $a50 $a99 $s50 $s99 $serve_mb $load" >> "$WORK/table"
  [[ $KEEP == 1 ]] || rm -rf "$data"
done

python3 - "$WORK/table" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1])][1:]
if not rows:
    sys.exit()
n0, d0, w0, c0 = int(rows[0][0]), int(rows[0][1]), float(rows[0][2]), float(rows[0][3])
print()
print(f"| size | documents | ingest s | CPU s | docs/s | per doc vs {n0}x (wall / CPU) | peak RSS MB | data dir MB | index MB | store MB | ALQAC p50 / p99 ms | short p50 / p99 ms | serve RSS MB | load |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    n, docs, wall, cpu = int(r[0]), int(r[1]), float(r[2]), float(r[3])
    lw = (wall / docs) / (w0 / d0)
    lc = (cpu / docs) / (c0 / d0)
    print(f"| {n}x | {docs:,} | {wall:.1f} | {cpu:.1f} | {docs / wall:,.0f} | {lw:.2f} / {lc:.2f} | {r[4]} | {r[5]} | {r[6]} | {r[7]} | {r[8]} / {r[9]} | {r[10]} / {r[11]} | {r[12]} | {r[13]} |")
PY
