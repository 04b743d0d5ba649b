#!/bin/bash
# This branch's binary with CPU seconds per suggestion (wall time on the shared machine is
# dominated by waiting for a core); main's binary cannot report them.
NEW=/tmp/large-new/hdbench
OUT=/work/wt-large2/Benchmarks/results/speed-large/subset
export OPENBLAS_NUM_THREADS=1
t() { local name=$1; shift; /usr/bin/time -f "%M %U %S %e" -o $OUT/$name.time "$@" > $OUT/$name.json 2> $OUT/$name.stderr; echo "$(date -u +%T) $name done"; }
for n in 1000 2000 5000 10000 20000; do
  t cpu-subset-n$n $NEW bench speed --n $n --d 6 --repeats 1 --sequential 5 --no-path-off-baseline --no-dpotrf --json
done
t cpu-subset-n5000-pending64 $NEW bench speed --n 5000 --d 6 --repeats 1 --sequential 5 --pending 64 --no-path-off-baseline --no-dpotrf --json
echo all done
