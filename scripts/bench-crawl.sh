#!/bin/sh
# Crawl throughput bench (see benches/crawl.rs): a generated 20,000-page
# site on 127.0.0.2-9, release build. Loopback only.
set -eu
cd "$(dirname "$0")/.."
exec cargo bench --bench crawl -- "$@"
