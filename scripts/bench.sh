#!/usr/bin/env bash
# `npm run bench [-- --json]`: training speed in headless Chromium and natively (a benchmark, not a test).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages >&2
ensure_chromium >&2
bash "$ROOT/scripts/build.sh" >&2
exec node "$ROOT/scripts/bench.mjs" "$@"
