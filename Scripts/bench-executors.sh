#!/usr/bin/env bash
# Controller cost and throughput of the two executors on trivial trials (`echo accuracy=…`):
# wall seconds, trials per minute, and the controller's CPU seconds per trial (user + system of
# the hdbench process alone: /usr/bin/time), for the local executor and for Slurm on the
# throw-away localhost cluster, in the same run.
#
#   Scripts/bench-executors.sh [HDBENCH_BINARY] [TRIALS] [CONCURRENCY]
#   (defaults: .build/release/hdbench 300 8; needs /usr/bin/time and Slurm: .ci/setup --test)
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-.build/release/hdbench}
trials=${2:-300}
concurrency=${3:-8}
work=$(mktemp -d)
chmod 755 "$work"   # munged runs as its own user and must reach its folder
trap 'rm -rf "$work"' EXIT

cat > "$work/job.yml" <<EOF
\$schema: https://azuremlschemas.azureedge.net/latest/sweepJob.schema.json
type: sweep
trial:
  command: echo accuracy=\${{search_space.x}}
  code: .
search_space:
  x: {type: uniform, min_value: 0, max_value: 1}
sampling_algorithm: {type: random, seed: 1}
objective: {goal: maximize, primary_metric: accuracy}
limits: {max_total_trials: $trials, max_concurrent_trials: $concurrency}
EOF

export SLURM_LOCAL_DIR=$work/slurm SLURM_LOCAL_PORT=6957 SLURM_LOCAL_CPUS=16
eval "$(Scripts/slurm-local.sh start)"

measure() { # name, extra arguments…
  local name=$1; shift
  /usr/bin/time -f "%e %U %S" -o "$work/$name.time" "$binary" sweep "$work/job.yml" --quiet \
    --experiment-dir "$work/$name" "$@" > /dev/null
  read -r wall user system < "$work/$name.time"
  awk -v n="$name" -v w="$wall" -v u="$user" -v s="$system" -v t="$trials" \
    'BEGIN { printf "%-6s %4d trials  wall %7.1f s  %6.0f trials/min  controller CPU %.1f ms/trial\n", n, t, w, 60 * t / w, 1000 * (u + s) / t }'
}

echo "hdbench $("$binary" --version), $trials trivial trials, $concurrency at a time, $(nproc) cores"
measure local
measure slurm --executor slurm
Scripts/slurm-local.sh stop
