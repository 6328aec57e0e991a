#!/usr/bin/env bash
# `npm run bench [-- --json]`: issue 6's performance figures in Chromium, Firefox and natively, each
# against its floor (a benchmark: it reports, it never fails on speed).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages >&2
ensure_chromium >&2
ensure_firefox >&2
bash "$ROOT/scripts/build.sh" >&2
# TF.js (a dev dependency, loaded only by the bench page) into www/vendor/tfjs/.
bash "$ROOT/scripts/tfjs-vendor.sh" >&2
exec node "$ROOT/scripts/bench.mjs" "$@"
