#!/usr/bin/env bash
# The test command: installs the system packages the tests need when they
# are missing, then runs every test (release mode, as CI does).
#
#   bash scripts/test.sh            the whole suite; reads only fixtures/,
#                                   so it passes on a clone alone
#   bash scripts/test.sh --corpus   the corpus suite: the tests over the full
#                                   shared corpus (../shared beside the
#                                   repository, or VANBAN_SHARED=DIR)
#
# Other arguments go to `cargo test`.
set -euo pipefail
cd "$(dirname "$0")/.."

corpus=0
args=()
for a in "$@"; do
  if [ "$a" = "--corpus" ]; then corpus=1; else args+=("$a"); fi
done

need=()
# The C toolchain builds bundled SQLite; pkg-config/ssl are not needed.
command -v cc >/dev/null 2>&1 || need+=(gcc)
# The browser test (tests/browser.rs) drives Debian's Chromium through
# chromedriver; without them it fails, it never skips.
if [ "$corpus" = 0 ]; then
  if ! command -v chromium >/dev/null 2>&1; then
    need+=(chromium chromium-driver)
  elif ! command -v chromedriver >/dev/null 2>&1; then
    need+=(chromium-driver)
  fi
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "scripts/test.sh: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ "$corpus" = 1 ]; then
  shared="${VANBAN_SHARED:-../shared}"
  if [ ! -d "$shared/corpus" ]; then
    echo "scripts/test.sh --corpus: the shared corpus is missing at $shared (set VANBAN_SHARED=DIR)" >&2
    exit 2
  fi
  # Corpus tests live in modules named `corpus` (or `corpus_*`): run those only.
  exec cargo test --release --locked --features corpus "${args[@]}" corpus
fi

exec cargo test --release --locked "${args[@]}"
