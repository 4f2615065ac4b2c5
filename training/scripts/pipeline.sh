#!/usr/bin/env bash
# The training pipeline once the teacher is training (see training/README.md): wait for the teacher, cache its TTA
# logits, train the distilled student (same steps, crop, data and seed as the non-distilled student-e8-nokd, so the
# comparison is fair), then evaluate the teacher (TTA) and the distilled student on the held-out patients, one job
# at a time (the two cores are the bottleneck). With GRID=1 a reduced Table 2 grid of short runs follows, each with
# its own no-distillation reference of the same length. Logs in training/logs/.
#   TEACHER=teacher-1.1 KD_NAME=student-e8-kd-teacher1.1-T2-W0.5 bash scripts/pipeline.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2
TEACHER=${TEACHER:-teacher}
KD_NAME=${KD_NAME:-student-e8-kd-T2-W0.5}
T=${T:-2}
W=${W:-0.5}
STEPS=${STEPS:-2000}
GRID_STEPS=${GRID_STEPS:-500}
while [ ! -f "runs/$TEACHER/run.json" ]; do sleep 20; done
echo "teacher $TEACHER done $(date)"
node --import tsx src/commands/cacheTeacher.ts --teacher "runs/$TEACHER" --sources acdc,sunnybrook,phantom > "logs/cache-$TEACHER.log" 2>&1
echo "cache done $(date)"
COMMON="--model student --expansion 8 --crop 112 --sources acdc,sunnybrook,phantom"
node --import tsx src/commands/train.ts $COMMON --steps "$STEPS" --val-every 500 --distill "runs/$TEACHER" --T "$T" --W "$W" \
  --name "$KD_NAME" > "logs/$KD_NAME.log" 2>&1
echo "student $KD_NAME done $(date)"
node --import tsx src/commands/evaluate.ts --runs "runs/$KD_NAME" > "logs/eval-$KD_NAME.log" 2>&1
node --import tsx src/commands/evaluate.ts --runs "runs/$TEACHER" > "logs/eval-$TEACHER.log" 2>&1
echo "evaluation done $(date)"
# Table 2 (reduced grid) only when GRID=1: each grid point costs GRID_STEPS student steps on this 2-core machine.
if [ "${GRID:-0}" = 1 ]; then
  node --import tsx src/commands/train.ts $COMMON --steps "$GRID_STEPS" --val-every 100000 --name "grid-nokd" > logs/grid-nokd.log 2>&1
  for tw in "2 0.5" "4 0.5" "2 0.75"; do
    set -- $tw
    node --import tsx src/commands/train.ts $COMMON --steps "$GRID_STEPS" --val-every 100000 --distill "runs/$TEACHER" --T "$1" --W "$2" \
      --name "grid-T$1-W$2" > "logs/grid-T$1-W$2.log" 2>&1
  done
fi
echo "pipeline done $(date)"
