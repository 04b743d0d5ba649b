#!/bin/bash
# Side-by-side speed runs: main's binary (b073894) then this branch's, per n; then pending,
# ask/tell, Optuna GPSampler.
BASE=/tmp/large-base-src/.build-base/release/hdbench
NEW=/work/wt-large2/.build-large-rel/release/hdbench
OUT=/work/wt-large2/Benchmarks/results/speed-large/subset
mkdir -p $OUT
export OPENBLAS_NUM_THREADS=1
t() { local name=$1; shift; /usr/bin/time -f %M -o $OUT/$name.maxrss-kb "$@" > $OUT/$name.json 2> $OUT/$name.stderr; echo "$(date -u +%T) $name done"; }
for n in 1000 2000 5000 10000; do
  t main-n$n $BASE bench speed --n $n --d 6 --repeats 1 --sequential 5 --json
  t subset-n$n $NEW bench speed --n $n --d 6 --repeats 1 --sequential 5 --json
done
t subset-n20000 $NEW bench speed --n 20000 --d 6 --repeats 1 --sequential 5 --no-path-off-baseline --no-dpotrf --json
t subset-n5000-pending64 $NEW bench speed --n 5000 --d 6 --repeats 1 --sequential 5 --pending 64 --no-path-off-baseline --json
t exact-n5000-pending64 $NEW bench speed --n 5000 --d 6 --repeats 1 --sequential 5 --pending 64 --large-model exact --no-path-off-baseline --no-dpotrf --json
t ask-tell-1e6 $NEW bench speed --ask-tell 1000000 --window 100000 --json
cd /tmp
$BASE bench quality --problem hartmann6 --sampler bayesian --budget 60 --seeds 3 --json $OUT/quality-hartmann6-budget60-main.json > /dev/null 2>&1; echo "$(date -u +%T) quality main done"
$NEW bench quality --problem hartmann6 --sampler bayesian --budget 60 --seeds 3 --json $OUT/quality-hartmann6-budget60-subset.json > /dev/null 2>&1; echo "$(date -u +%T) quality subset done"
echo all done
