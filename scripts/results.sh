#!/usr/bin/env bash
# Re-measures every table in the README's "What you can learn" and compression sections and writes
# the raw output (readable table, then one JSON line) to docs/results/. Takes about 20 seconds on 2 cores (fused engine).
#   bash scripts/results.sh [seeds, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
SEEDS="${1:-5}"
OUT=docs/results
mkdir -p "$OUT"
cargo build --release -q -p distill-playground --bin distill
DISTILL=target/release/distill
stamp() { echo "# $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"; }
run() {
  local name="$1"; shift
  echo "== $name: distill $*"
  { stamp; echo "# distill $*"; "$DISTILL" "$@" 2>/dev/null; } | tee "$OUT/$name.txt"
}
run losses compare --vary loss=hard,kl,reverse_kl,jsd,mse --set trainMaps=random --set hidden=32 --seeds "$SEEDS" --steps 3000 --json
run compounding compare --scenario compounding --seeds "$SEEDS" --json
run data compare --vary data=uniform,teacher,student --set map=maze --set slip=0.2 --set loss=hard --set teacher=oracle --set hidden=32 --seeds "$SEEDS" --steps 1500 --json
run plan compare --scenario plan --seeds "$SEEDS" --json
run finetune compare --scenario finetune --seeds "$SEEDS" --json
run compression sweep --seeds 3 --json
run lessons lessons --seeds 10 --maps 1000 --json
node scripts/readme-tables.mjs
