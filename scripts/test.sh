#!/usr/bin/env bash
# The test command: installs the system packages the tests need when they
# are missing, then runs every test (release mode, as CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# The C toolchain builds bundled SQLite; pkg-config/ssl are not needed.
command -v cc >/dev/null 2>&1 || need+=(gcc)
# The browser test (tests/browser.rs) drives Debian's Chromium through
# chromedriver; without them it fails, it never skips.
if ! command -v chromium >/dev/null 2>&1; then
  need+=(chromium chromium-driver)
elif ! command -v chromedriver >/dev/null 2>&1; then
  need+=(chromium-driver)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "scripts/test.sh: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -d ../shared/seeds ] && [ -z "${VANBAN_SHARED:-}" ]; then
  echo "scripts/test.sh: ../shared (seeds and corpus) is missing beside the repository" >&2
  exit 2
fi

cargo test --release --locked "$@"
