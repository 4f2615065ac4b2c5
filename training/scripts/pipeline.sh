#!/usr/bin/env bash
# The training pipeline after the teacher and the non-distilled student are running/finished:
# wait for the teacher, cache its TTA logits, then train the distilled students (same steps, crop and data
# as the non-distilled student-e8, so the comparison is fair). Logs in training/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2
while [ ! -f runs/teacher/run.json ]; do sleep 20; done
node --import tsx src/cacheTeacher.ts --teacher runs/teacher --sources acdc,sunnybrook,phantom > logs/cache-teacher.log 2>&1
COMMON="--model student --expansion 8 --steps 3000 --crop 112 --val-every 500 --sources acdc,sunnybrook,phantom --distill runs/teacher"
node --import tsx src/train.ts $COMMON --T 2 --W 0.5 > logs/student-e8-kd-T2-W0.5.log 2>&1 &
main=$!
# Table 2 (reduced): shorter runs beside the main one.
for tw in "4 0.5" "1 0.5" "2 0.75"; do
  set -- $tw
  node --import tsx src/train.ts --model student --expansion 8 --steps 1000 --crop 112 --val-every 500 \
    --sources acdc,sunnybrook,phantom --distill runs/teacher --T "$1" --W "$2" --name "grid-T$1-W$2" > "logs/grid-T$1-W$2.log" 2>&1
done
wait $main
echo "pipeline done $(date)"
