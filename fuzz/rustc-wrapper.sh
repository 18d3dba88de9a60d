#!/usr/bin/env bash
# RUSTC_WRAPPER for scripts/fuzz.sh: coverage instrumentation (sancov) only
# for the code under test: vanban, the fuzz targets and texting_robots
# (the robots.txt parser). Every other dependency (tantivy, html5ever,
# rusqlite, tokio, ...) is built as a plain release build. Instrumenting
# them all with codegen-units=1, as cargo-fuzz does, took over 20 minutes
# for one SIMD crate on a busy 2-core machine and gives libFuzzer coverage
# of code that is not ours.
rustc=$1
shift
name=""
prev=""
for a in "$@"; do
  [ "$prev" = "--crate-name" ] && name=$a
  prev=$a
done
case "$name" in
  vanban | vanban_fuzz | texting_robots | refs | extract_html | legacy | query | robots | sitemap)
    exec "$rustc" "$@" ;;
esac
args=()
for a in "$@"; do
  case "$a" in
    -Cpasses=sancov-module | -Cllvm-args=-sanitizer-coverage* | -Ccodegen-units=1 \
      | -Cllvm-args=-simplifycfg-branch-fold-threshold=0) ;;
    *) args+=("$a") ;;
  esac
done
exec "$rustc" "${args[@]}"
