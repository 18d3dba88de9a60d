#!/usr/bin/env bash
# Differential check of the refs outputs at ingest (identity, citations,
# unnumbered references, validity; see examples/refs_digest.rs): builds
# the digest example at a base commit (default: main) in a temporary work
# tree and in this work tree, runs both over the Pháp điển articles, the
# tvpl full texts, the shared HTML pages and the fixtures, and compares.
# Exit status 0 and "identical" when every output is the same.
#
#   bash scripts/refs-diff.sh [BASE]        # BASE defaults to main
#
# The base builds in its own target dir, target/refs-diff-base (kept between
# runs; the first run builds every dependency once): two checkouts of one
# package sharing a target dir overwrite each other's artifacts.
set -euo pipefail
base=${1:-main}
root=$(cd "$(dirname "$0")/.." && pwd)
shared=$(cd "${VANBAN_SHARED:-$root/../shared}" && pwd)
out=${OUT:-$root/target/refs-diff}
mkdir -p "$out"
inputs=("$shared/corpus/phapdien/articles.jsonl" "$shared/corpus/tvpl" "$shared/corpus/html" "$root/fixtures")

wt=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1 || true' EXIT
git -C "$root" worktree add --detach "$wt" "$base" >/dev/null
# The base may predate the example: use this tree's copy.
cp "$root/examples/refs_digest.rs" "$wt/examples/refs_digest.rs"
export VANBAN_SHARED="$shared"
echo "base ($base):"
(cd "$wt" && CARGO_TARGET_DIR="$root/target/refs-diff-base" nice -n 10 cargo build --release --example refs_digest -q)
"$root/target/refs-diff-base/release/examples/refs_digest" "$out/base.jsonl" "${inputs[@]}"
echo "work tree:"
(cd "$root" && nice -n 10 cargo build --release --example refs_digest -q)
"$root/target/release/examples/refs_digest" "$out/new.jsonl" "${inputs[@]}"
if cmp -s "$out/base.jsonl" "$out/new.jsonl"; then
    echo "identical"
else
    n=$(diff <(cat "$out/base.jsonl") <(cat "$out/new.jsonl") | grep -c '^<' || true)
    echo "DIFFERENT: $n lines differ ($out/base.jsonl vs $out/new.jsonl)"
    exit 1
fi
