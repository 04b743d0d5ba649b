#!/usr/bin/env bash
# Run quality.py over a plan read from stdin: lines "PROBLEM PEER SEEDS" (budget 100,
# or BUDGET env). Seeds already in results/quality/raw are skipped (resume), so a
# plan can be re-run with more seeds. Example:
#   printf 'branin optuna-gp 10\nhartmann6 optuna-gp 10\n' | ./run_quality.sh
set -u
cd "$(dirname "$0")"
PY=${PY:-/work/venv-peers/bin/python}
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
while read -r problem peer seeds; do
  [ -z "${problem:-}" ] && continue
  case "$problem" in \#*) continue ;; esac
  echo "== $(date +%T) $problem $peer seeds=$seeds"
  "$PY" quality.py --problem "$problem" --peer "$peer" --budget "${BUDGET:-100}" --seeds "$seeds" \
    || echo "!! failed: $problem $peer"
done
echo "== $(date +%T) plan done"
