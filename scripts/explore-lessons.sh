#!/usr/bin/env bash
# The regimes tried for the lessons whose effect did not show in their first definition, so the
# README can say what was tried. Seeds 1001–1003 (the committed results use 1–10, so their evaluation
# maps stay unseen by this search), 300 evaluation maps: a search, not the result (that is
# docs/results/lessons.txt). Raw output (each run's table, then its JSON line) goes to
# docs/results/lesson-regimes.txt. About 3 minutes on 2 cores.
#   bash scripts/explore-lessons.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p distill-playground --bin distill
DISTILL=target/release/distill
OUT=docs/results/lesson-regimes.txt
{
  echo "# $(date -u +%F), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "# regimes tried: distill lessons --only ID --first-seed 1001 --seeds 3 --maps 300 [--set field=value ...]"
} > "$OUT"
try() {
  echo "== distill lessons $* --first-seed 1001 --seeds 3 --maps 300 --json" | tee -a "$OUT"
  "$DISTILL" lessons "$@" --first-seed 1001 --seeds 3 --maps 300 --json 2>/dev/null | tee -a "$OUT"
}
# Compounding errors on the expert's task (DAgger against behaviour cloning at equal labels): scarcer
# labels, more slip, a smaller learner; and across held-out maps with scarcer labels.
try --only compounding
try --only compounding --set labelBudget=100
try --only compounding --set slip=0.4
try --only compounding --set hidden=8
try --only compounding-heldout --set labelBudget=1000
# Temperature: scarce labels (the lesson) and plentiful ones.
try --only temperature
try --only temperature --set labelBudget=20000
# RL fine-tuning: demonstrations of 30 states (the lesson), and of the whole map.
try --only rl-finetune
try --only rl-finetune --set labelBudget=0
# Co-distillation: the lesson, and a student far too small.
try --only co-distillation
try --only co-distillation --set hidden=8
