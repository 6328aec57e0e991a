#!/usr/bin/env bash
# Runs the property tests (crate/tests/robustness.rs) with many cases, for a bounded time each:
#   bash scripts/fuzz.sh [cases, default 20000] [seconds per target, default 120]
set -euo pipefail
cd "$(dirname "$0")/.."
CASES="${1:-20000}"
SECONDS_EACH="${2:-120}"
# Build first, so the time limit is spent on cases, not on compiling.
cargo test --release -q -p distill-playground --test robustness --no-run
for target in map_text_never_panics arbitrary_map_text_never_panics settings_accept_or_reject_without_side_effects \
              weight_files_never_panic corrupted_teacher_files_are_refused_or_loaded_finite link_fragments_never_panic \
              student_files_are_refused_or_loaded_finite sessions_survive_any_updates; do
  echo "== $target ($CASES cases, at most ${SECONDS_EACH}s)"
  PROPTEST_CASES="$CASES" timeout "$SECONDS_EACH" cargo test --release -q -p distill-playground --test robustness -- --exact "$target" \
    || { status=$?; [ "$status" = 124 ] && echo "   (time limit reached without a failure)" || exit "$status"; }
done
