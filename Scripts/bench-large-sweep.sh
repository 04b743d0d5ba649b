#!/usr/bin/env bash
# A large sweep of trivial trials through the command line: runs
# `hdbench sweep` on Sphere-10 computed by awk (a process that starts in ~1 ms, so the controller,
# not Python's ~20 ms start-up, is what is measured), under /usr/bin/time -v for the controller's
# peak RSS, samples its RSS from /proc every 2 s, then times the read commands on the result.
# The sweep prints its event lines (standard output not a terminal) to a file, as in CI.
#
# Usage: Scripts/bench-large-sweep.sh [--trials N] [--concurrency C] [--sampler random|bayesian]
#                                     [--timeout SECONDS] [--hdbench PATH] [--out DIR] [--label NAME]
# Writes DIR/NAME.json (throughput per window of 1,000 trials (250 for Bayesian sweeps), RSS
# samples, peak RSS, read-command wall times) and prints a summary. --timeout sets the sweep's
# `limits.timeout` (a Bayesian sweep too slow to finish then ends as timed_out and is measured). Defaults: 10,000 trials,
# concurrency 8, random sampler, the release build in .build-export-rel, Benchmarks/results/large-sweep.
set -euo pipefail

trials=10000
concurrency=8
sampler=random
root="$(cd "$(dirname "$0")/.." && pwd)"
hdbench="$root/.build-export-rel/release/hdbench"
out="$root/Benchmarks/results/large-sweep"
label=""
timeout=""
while [ $# -gt 0 ]; do
    case "$1" in
        --trials) trials="$2"; shift 2 ;;
        --concurrency) concurrency="$2"; shift 2 ;;
        --sampler) sampler="$2"; shift 2 ;;
        --hdbench) hdbench="$2"; shift 2 ;;
        --timeout) timeout="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --label) label="$2"; shift 2 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done
[ -x "$hdbench" ] || { echo "no hdbench at $hdbench (swift build -c release --scratch-path .build-export-rel)" >&2; exit 2; }
[ -n "$label" ] || label="$sampler-$trials-c$concurrency"
mkdir -p "$out"
work="$(mktemp -d /tmp/hdbench-large-sweep.XXXXXX)"
mkdir -p "$work/code"

vars=""; sum=""
for i in 0 1 2 3 4 5 6 7 8 9; do
    vars="$vars -v x$i=\${{search_space.x$i}}"
    sum="$sum${sum:+ + }x$i*x$i"
done
{
    echo "type: sweep"
    echo "trial:"
    echo "  command: awk$vars 'BEGIN { print \"loss=\" ($sum) }'"
    echo "  code: code"
    echo "search_space:"
    for i in 0 1 2 3 4 5 6 7 8 9; do echo "  x$i: {type: uniform, min_value: -5, max_value: 5}"; done
    echo "sampling_algorithm: {type: $sampler, seed: 1}"
    echo "objective: {goal: minimize, primary_metric: loss}"
    echo "limits: {max_total_trials: $trials, max_concurrent_trials: $concurrency${timeout:+, timeout: $timeout}}"
    # A seed for a Bayesian sweep is an hdbench extension.
    [ "$sampler" = random ] || echo "x-hdbench: {extensions: true}"
} > "$work/job.yml"

echo "sweep: $trials trials, $sampler, concurrency $concurrency, in $work" >&2
start=$(date +%s.%N)
/usr/bin/time -v -o "$work/time.txt" "$hdbench" sweep "$work/job.yml" --experiment-dir "$work/exp" > "$work/sweep.out" 2>&1 &
timer=$!
# RSS of the controller (the child of /usr/bin/time) every 2 s, with the number of trials stored.
: > "$work/rss.txt"
sleep 0.5
pid=$(pgrep -P "$timer" | head -1 || true)
while kill -0 "$timer" 2>/dev/null; do
    if [ -n "$pid" ] && [ -r "/proc/$pid/status" ]; then
        rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
        n=$(python3 -c "import sqlite3,sys; print(sqlite3.connect('file:$work/exp/experiment.sqlite?mode=ro', uri=True).execute('select count(*) from trial').fetchone()[0])" 2>/dev/null || echo 0)
        [ -n "$rss" ] && echo "$(date +%s.%N) $n $rss" >> "$work/rss.txt"
    fi
    sleep 2
done
wait "$timer"
end=$(date +%s.%N)

# Read commands on the finished experiment: wall and CPU (user + system) seconds and peak RSS
# (the machine may be shared: CPU seconds are what the command costs, wall what a user waits).
reads=""
timed() {
    local name="$1"; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/read-time.txt" "$@" > /dev/null
    read -r wall user system kb < "$work/read-time.txt"
    reads="$reads${reads:+,}\"$name\": {\"wall_seconds\": $wall, \"cpu_seconds\": $(python3 -c "print(round($user + $system, 2))"), \"peak_rss_bytes\": $((kb * 1024))}"
}
timed status "$hdbench" status "$work/exp"
timed best "$hdbench" best "$work/exp" --json
timed export_csv "$hdbench" export "$work/exp" --format csv -o "$work/export.csv"
timed export_json "$hdbench" export "$work/exp" --format json -o "$work/export.json"
timed export_optuna_journal "$hdbench" export "$work/exp" --format optuna-journal -o "$work/study.log"
timed report "$hdbench" report "$work/exp" -o "$work/report.html"

python3 - "$work" "$label" "$sampler" "$trials" "$concurrency" "$start" "$end" "{$reads}" "$out" <<'PY'
import json, sqlite3, sys, os, platform, subprocess
work, label, sampler, trials, concurrency, start, end, reads, out = sys.argv[1:]
trials, concurrency, start, end = int(trials), int(concurrency), float(start), float(end)
db = sqlite3.connect(f"file:{work}/exp/experiment.sqlite?mode=ro", uri=True)
rows = db.execute("select id, status, created, ended from trial order by id").fetchall()
statuses = {}
for _, s, _, _ in rows:
    statuses[s] = statuses.get(s, 0) + 1
ends = sorted(r[3] for r in rows if r[3] is not None)
created = sorted(r[2] for r in rows)
window = 1000 if sampler != "bayesian" else 250
windows = []
for lo in range(0, len(ends), window):
    hi = min(lo + window, len(ends))
    t0 = ends[lo - 1] if lo > 0 else created[0]
    windows.append({"trials": f"{lo}-{hi}", "seconds": round(ends[hi - 1] - t0, 3),
                    "trials_per_second": round((hi - lo) / (ends[hi - 1] - t0), 2)})
maxrss = None
cpu = 0.0
with open(f"{work}/time.txt") as f:
    for line in f:
        if "Maximum resident set size" in line:
            maxrss = int(line.split(":")[1]) * 1024
        if "User time (seconds)" in line or "System time (seconds)" in line:
            cpu += float(line.split(":")[1])
rss = []
with open(f"{work}/rss.txt") as f:
    for line in f:
        t, n, kb = line.split()
        rss.append({"seconds": round(float(t) - start, 1), "trials": int(n), "rss_bytes": int(kb) * 1024})
# Seconds between consecutive stored suggestions, per window: one suggestion is computed at a
# time and trials take ~1 ms, so for a Bayesian sweep this is the time per suggestion.
stamps = [r[0] for r in db.execute("select time from suggestion order by proposal")]
gaps = [b - a for a, b in zip(stamps, stamps[1:])]
suggestion_windows = []
for lo in range(0, len(gaps), window):
    w = sorted(gaps[lo:lo + window])
    suggestion_windows.append({"suggestions": f"{lo + 1}-{lo + len(w)}", "median_seconds": round(w[len(w) // 2], 3),
                               "mean_seconds": round(sum(w) / len(w), 3), "max_seconds": round(w[-1], 3)})
sizes = {name: os.path.getsize(f"{work}/{name}") for name in ["export.csv", "export.json", "study.log", "report.html"]}
sizes["experiment.sqlite"] = os.path.getsize(f"{work}/exp/experiment.sqlite")
result = {
    "label": label, "sampler": sampler, "trials": trials, "max_concurrent_trials": concurrency,
    "command": "awk Sphere-10 (one process per trial, ~1 ms)",
    "statuses": statuses, "sweep_wall_seconds": round(end - start, 2),
    "overall_trials_per_second": round(len(rows) / (end - start), 2),
    "windows": windows, "suggestion_interval_windows": suggestion_windows,
    "first_window_vs_last": round(windows[-1]["trials_per_second"] / windows[0]["trials_per_second"], 3) if windows else None,
    "controller_peak_rss_bytes": maxrss, "sweep_cpu_seconds_with_reaped_trials": round(cpu, 1),
    "sweep_cpu_ms_per_trial_with_reaped_trials": round(cpu * 1000 / len(rows), 2), "rss_samples": rss,
    "read_commands": json.loads(reads), "file_bytes": sizes,
    "machine": {"cores": os.cpu_count(), "uname": platform.platform(),
                "load_average_at_end": os.getloadavg()},
}
path = f"{out}/{label}.json"
with open(path, "w") as f:
    json.dump(result, f, indent=1)
print(json.dumps({k: v for k, v in result.items() if k != "rss_samples"}, indent=1))
print("written", path, file=sys.stderr)
PY
echo "experiment kept in $work/exp (remove it when done)" >&2
