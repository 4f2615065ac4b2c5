#!/usr/bin/env bash
# The training pipeline after the teacher and the non-distilled student are running (see training/README.md):
# wait for the teacher, cache its TTA logits, evaluate it, then train the distilled student (same steps, crop and
# data as the non-distilled student-e8-nokd, so the comparison is fair) and, beside it, a reduced Table 2 grid of
# short runs (each with its own no-distillation reference of the same length) when GRID=1. Logs in training/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2
STEPS=${STEPS:-2000}
GRID_STEPS=${GRID_STEPS:-500}
while [ ! -f runs/teacher/run.json ]; do sleep 20; done
node --import tsx src/cacheTeacher.ts --teacher runs/teacher --sources acdc,sunnybrook,phantom > logs/cache-teacher.log 2>&1
COMMON="--model student --expansion 8 --crop 112 --sources acdc,sunnybrook,phantom"
node --import tsx src/train.ts $COMMON --steps "$STEPS" --val-every 500 --distill runs/teacher --T 2 --W 0.5 \
  --name student-e8-kd-T2-W0.5 > logs/student-e8-kd-T2-W0.5.log 2>&1 &
main=$!
node --import tsx src/evaluate.ts --runs runs/teacher --out reports/evaluation.json > logs/eval-teacher.log 2>&1
# Table 2 (reduced grid) only when GRID=1: each grid point costs GRID_STEPS student steps on this 2-core machine.
if [ "${GRID:-0}" = 1 ]; then
  node --import tsx src/train.ts $COMMON --steps "$GRID_STEPS" --val-every 100000 --name "grid-nokd" > logs/grid-nokd.log 2>&1
  for tw in "2 0.5" "4 0.5" "2 0.75"; do
    set -- $tw
    node --import tsx src/train.ts $COMMON --steps "$GRID_STEPS" --val-every 100000 --distill runs/teacher --T "$1" --W "$2" \
      --name "grid-T$1-W$2" > "logs/grid-T$1-W$2.log" 2>&1
  done
fi
wait $main
echo "pipeline done $(date)"
