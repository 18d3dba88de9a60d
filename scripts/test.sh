#!/usr/bin/env bash
# The test command: installs the system packages the tests need when they
# are missing, then runs every test (release mode, as CI does).
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# The C toolchain builds bundled SQLite; pkg-config/ssl are not needed.
command -v cc >/dev/null 2>&1 || need+=(gcc)
if [ ${#need[@]} -gt 0 ]; then
  echo "scripts/test.sh: installing ${need[*]}" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi

if [ ! -d ../shared/seeds ] && [ -z "${VANBAN_SHARED:-}" ]; then
  echo "scripts/test.sh: ../shared (seeds and corpus) is missing beside the repository" >&2
  exit 2
fi

cargo test --release --locked "$@"
