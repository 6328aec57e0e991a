#!/usr/bin/env bash
# Where each claim holds: every lesson over its key variables (the axes fixed in the catalogue,
# `catalogued_axes` in crate/src/training/lessons/regimes.rs), 10 seeds × 1,000 evaluation maps per
# point, the same seeds and maps as docs/results/lessons.txt, so the point at a lesson's own settings
# repeats its committed rows. Raw output (a line per point, then one JSON line with every point's
# judgement and per-seed rows) goes to docs/results/maps/ID.txt; the tables of docs/lessons.md and
# www/lesson-maps.json are generated from them. About 35 minutes on 2 cores for all.
#   bash scripts/maps.sh [ID ...]      (default: every lesson)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p distill-playground --bin distill
DISTILL=target/release/distill
OUT=docs/results/maps
mkdir -p "$OUT"
IDS=("$@")
if [ ${#IDS[@]} = 0 ]; then
  IDS=(compression data-over-architecture trajectories compounding compounding-heldout dark-knowledge temperature rl-finetune mixing scarce-labels plan co-distillation rl-weak-teacher mixing-complementary strongest-teacher)
fi
for id in "${IDS[@]}"; do
  echo "== $id"
  started=$(date +%s)
  {
    echo "# $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "# distill map --only $id --seeds 10 --maps 1000"
    "$DISTILL" map --only "$id" --seeds 10 --maps 1000 2>/dev/null
  } > "$OUT/$id.txt.part"
  mv "$OUT/$id.txt.part" "$OUT/$id.txt"
  echo "   $(( $(date +%s) - started )) s"
  head -n -1 "$OUT/$id.txt" | tail -n +3
done
node scripts/readme-tables.mjs
