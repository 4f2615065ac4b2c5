#!/usr/bin/env bash
# Held-out figures of published models before and after heart-centred inference + anatomical clean-up:
#   MODELS="student@1.1.0 teacher@1.1.0" bash scripts/heldout.sh   (from training/)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-reports/heldout.json}
for m in ${MODELS:-student@1.1.0 teacher@1.1.0}; do
  node --import tsx src/commands/evaluate.ts --models "$m" --set test --crop 0 --postprocess largest --suffix -canvas192-largest --out "$OUT"
  node --import tsx src/commands/evaluate.ts --models "$m" --set test --crop 128 --postprocess anatomical --suffix -crop128-anatomical --out "$OUT"
done
