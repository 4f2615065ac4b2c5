#!/usr/bin/env bash
# Distillation against no distillation over several seeds (RESULTS.md, "Seeds"): for each seed, the distilled
# student (teacher 1.1's cached TTA logits, T=2, W=0.5, KL x T^2) and the non-distilled one, same steps, crop, data
# and seed, trained side by side with one TensorFlow thread each (two one-thread jobs train ~1.6x more images per
# second on two cores than one two-thread job: bench/train-threads.json), then both evaluated on the held-out
# patients, one at a time. Logs in training/logs/.
#   SEEDS="1 2 3" bash scripts/seeds.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export TF_CPP_MIN_LOG_LEVEL=2
TEACHER=${TEACHER:-teacher-1.1}
STEPS=${STEPS:-2000}
COMMON="--model student --expansion 8 --crop 112 --sources acdc,sunnybrook,phantom --steps $STEPS --val-every 100000"
for s in ${SEEDS:-1 2 3}; do
  KD="student-e8-kdt2-s$s"
  NO="student-e8-nokd-s$s"
  TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 node --import tsx src/commands/train.ts $COMMON --seed "$s" \
    --distill "runs/$TEACHER" --T 2 --W 0.5 --kd-scale t2 --name "$KD" > "logs/$KD.log" 2>&1 &
  TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1 node --import tsx src/commands/train.ts $COMMON --seed "$s" \
    --name "$NO" > "logs/$NO.log" 2>&1 &
  wait
  echo "seed $s trained $(date)"
  node --import tsx src/commands/evaluate.ts --runs "runs/$KD,runs/$NO" > "logs/eval-seed$s.log" 2>&1
  echo "seed $s evaluated $(date)"
done
echo "seeds done $(date)"
