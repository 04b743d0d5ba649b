#!/bin/sh
# Test trial: logs accuracy $1 every 0.1 s; on SIGTERM logs one more value (after the stop)
# and exits 0.
trap 'echo "accuracy=0.99"; exit 0' TERM
i=0
while [ $i -lt 100 ]; do
  echo "accuracy=$1"
  i=$((i + 1))
  sleep 0.1
done
