#!/usr/bin/env bash
# `npm start`: installs what is missing, builds the wasm module, and serves the playground.
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
ensure_npm_packages
bash "$ROOT/scripts/build.sh"
exec node "$ROOT/scripts/serve.mjs"
