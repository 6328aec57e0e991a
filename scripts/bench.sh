#!/usr/bin/env bash
# `npm run bench [-- --json] [-- --no-save] [-- --no-lessons]`: the performance goals in Chromium,
# Firefox and natively, each against its floor, then every lesson's seconds to its verdict in Chromium
# at the page's scale and at the command line's (scripts/lesson-times.mjs, limit 60 s each; about 20
# minutes more; `--no-lessons` skips them); exits 1, naming each goal missed, when any floor is not
# met. Writes the raw results to docs/results/bench-latest.json and lesson-{page,full}-times.json
# (the tables of the README and docs/ are generated from them).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages >&2
ensure_chromium >&2
ensure_firefox >&2
bash "$ROOT/scripts/build.sh" >&2
# TF.js (a dev dependency, loaded only by the bench page) into www/vendor/tfjs/.
bash "$ROOT/scripts/tfjs-vendor.sh" >&2
lessons=1
save=()
args=()
for arg in "$@"; do
  case "$arg" in
    --no-lessons) lessons=0 ;;
    --no-save) save=(--no-save); args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done
status=0
node "$ROOT/scripts/bench.mjs" "${args[@]}" || status=$?
if [ "$lessons" = 1 ]; then
  # Their lines go to stderr, so that --json keeps stdout for bench.mjs's one JSON line.
  for scale in page full; do
    node "$ROOT/scripts/lesson-times.mjs" --scale "$scale" "${save[@]}" >&2 || status=1
  done
fi
exit "$status"
