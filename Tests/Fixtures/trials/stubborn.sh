#!/bin/sh
# Test trial that ignores SIGTERM and leaves a background grandchild that ignores it too.
# Writes the grandchild's pid to $1 (a file), logs one metric, then waits for the grandchild.
trap '' TERM
sh -c "trap '' TERM; sleep 60" &
echo $! > "$1"
echo "accuracy=0.5"
wait
