#!/usr/bin/env bash
# Fuzzing (issue 9, item 5), by hand, never part of the test suite:
#   bash scripts/fuzz.sh [SECONDS] [TARGET...]
# builds the cargo-fuzz targets of fuzz/ (their own crate, never built by
# the main crate's `cargo build`/`cargo test`) and runs each for SECONDS
# (default 600, libFuzzer's -max_total_time), one after another, at the
# lowest CPU priority. Each run starts from the committed seeds
# (fuzz/corpus/<target>/, never modified) plus what earlier runs found
# (fuzz/target/corpus/<target>/, not committed), with the target's
# dictionary (fuzz/dict/<target>.dict). At the end it prints, per target:
# seconds run, executions, executions per second, corpus size and findings
# (crash/leak/timeout/oom inputs, saved under fuzz/artifacts/<target>/;
# libFuzzer stops a target at its first finding).
#
# Only stable Rust is needed: RUSTC_BOOTSTRAP=1 lets stable accept the
# nightly flags cargo-fuzz passes. Built with debug assertions (overflow
# checks) and SANITIZER=none by default: the code under test is safe Rust,
# so panics, failed assertions, timeouts and memory blow-ups are what there
# is to find; SANITIZER=address adds ASan (its runtime ships with the
# stable toolchain on x86_64 Linux) at a much longer build. Coverage
# instrumentation goes to vanban, the targets and texting_robots only
# (fuzz/rustc-wrapper.sh); the other dependencies are plain release code.
# Installs cargo-fuzz (crates.io) when missing; libFuzzer itself is built
# from C++ source by libfuzzer-sys (needs g++).
#
# Every finding becomes a regression test in the default (stable) suite,
# next to the code it exercises, and the bug gets fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS=${1:-600}
shift || true
ALL=(refs extract_html legacy query robots sitemap)
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=("${ALL[@]}")
SANITIZER=${SANITIZER:-none}
export RUSTC_BOOTSTRAP=1
export RUSTC_WRAPPER=$PWD/fuzz/rustc-wrapper.sh

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz
fi

# One build per target: they share every dependency, so only the first
# is long (the whole library with coverage instrumentation).
for t in "${TARGETS[@]}"; do
  nice -n 19 cargo fuzz build -O --debug-assertions --sanitizer "$SANITIZER" "$t"
done

SUMMARY=$(mktemp)
trap 'rm -f "$SUMMARY"' EXIT
printf '%-13s %7s %11s %9s %7s %s\n' target seconds executions execs/s corpus findings >"$SUMMARY"
for t in "${TARGETS[@]}"; do
  BIN=fuzz/target/x86_64-unknown-linux-gnu/release/$t
  WORK=fuzz/target/corpus/$t
  ART=fuzz/artifacts/$t
  LOG=fuzz/target/$t.log
  mkdir -p "$WORK" "$ART"
  before=$(find "$ART" -type f | wc -l)
  echo "== $t: ${SECS}s (sanitizer: $SANITIZER), log in $LOG"
  start=$(date +%s)
  # New inputs go to $WORK (first directory); the seeds are only read.
  nice -n 19 "$BIN" "$WORK" "fuzz/corpus/$t" \
    -dict="fuzz/dict/$t.dict" -max_total_time="$SECS" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$ART/" \
    >"$LOG" 2>&1 || true
  took=$(( $(date +%s) - start ))
  execs=$(awk '/stat::number_of_executed_units/ {print $2}' "$LOG")
  rate=$(awk '/stat::average_exec_per_sec/ {print $2}' "$LOG")
  corpus=$(find "$WORK" -type f | wc -l)
  after=$(find "$ART" -type f | wc -l)
  found=$((after - before))
  new=$(find "$ART" -type f -newermt "@$start" -printf '%f ' 2>/dev/null || true)
  printf '%-13s %7s %11s %9s %7s %s\n' "$t" "$took" "${execs:-?}" "${rate:-?}" "$corpus" \
    "$found${new:+ ($new)}" >>"$SUMMARY"
  grep -E '^(==[0-9]+==|SUMMARY|thread .* panicked)' "$LOG" | head -5 || true
done
echo
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
cat "$SUMMARY"
