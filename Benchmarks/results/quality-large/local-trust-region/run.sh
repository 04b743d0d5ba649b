#!/usr/bin/env bash
# Budget-1,000 runs of the Bayesian sampler with a local trust region on the six problems of
# dimension 10–20, seeds 0..S-1 round robin, two processes at a time (each owns three problems,
# so no per-seed log is written by two processes). Resumable: seeds already in raw/ are skipped.
#
# Usage: run.sh HDBENCH SEEDS [KEY=VALUE ...]   (settings passed as --set; the defaults below
#        are the configuration measured in README.md)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
hdbench="$1"; seeds="$2"; shift 2
settings=("$@")
[ ${#settings[@]} -gt 0 ] || settings=(trust_region=on trust_region_local=200 trust_region_restart=alternating)
sets=(); for s in "${settings[@]}"; do sets+=(--set "$s"); done
worker() {
    for s in $(seq 1 "$seeds"); do
        for p in "$@"; do
            OPENBLAS_NUM_THREADS=1 nice -n 2 "$hdbench" bench quality --problem "$p" --sampler bayesian --budget 1000 \
                --seeds "$s" --raw "$here/raw" --json "$here/$p.json" "${sets[@]}" > /dev/null
            echo "$(date -u +%T) $p: $s seeds"
        done
    done
}
worker hartmann6_in20 ackley20 levy10 &
worker noisy_hartmann6_in20 rosenbrock10 styblinski_tang20 &
wait
