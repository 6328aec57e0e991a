#!/usr/bin/env bash
# `npm run bench [-- --json] [-- --no-save]`: the performance goals in Chromium, Firefox and natively,
# each against its floor; exits 1, naming each goal missed, when any floor is not met. Writes the raw
# result to docs/results/bench-latest.json (the README's performance tables are generated from it).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages >&2
ensure_chromium >&2
ensure_firefox >&2
bash "$ROOT/scripts/build.sh" >&2
# TF.js (a dev dependency, loaded only by the bench page) into www/vendor/tfjs/.
bash "$ROOT/scripts/tfjs-vendor.sh" >&2
exec node "$ROOT/scripts/bench.mjs" "$@"
