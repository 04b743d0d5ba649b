#!/usr/bin/env bash
# A throw-away Slurm cluster on localhost for hdbench's tests: munged + slurmctld + N slurmd, as
# root, without systemd, nothing written to /etc. Debian bookworm's slurm-wlm 22.05.
#
#   Scripts/slurm-local.sh install   apt-get slurmctld slurmd slurm-client munge (no recommends)
#   Scripts/slurm-local.sh start     fresh state, daemons up, wait until every node is idle (~1 s)
#   Scripts/slurm-local.sh stop      cancel every job, wait for them, stop the daemons
#   Scripts/slurm-local.sh env       the line clients need: eval "$(Scripts/slurm-local.sh env)"
#
# Environment (give the same to every subcommand):
#   SLURM_LOCAL_DIR    where everything lives (default /tmp/hdbench-slurm)
#   SLURM_LOCAL_NODES  1 (one node, "localhost") or N > 1 (nodes n1..nN on 127.0.0.1, own ports)
#   SLURM_LOCAL_CPUS   CPUs each node advertises (default 8: short test jobs may oversubscribe)
#   SLURM_LOCAL_PORT   slurmctld's port (default 6817); node i listens on PORT + i
#
# Choices, each for a reason met on this machine class:
#   proctrack/pgid     scancel reaches the batch script's whole process group (linuxproc loses
#                      children re-parented to init; cgroup needs a v1 freezer mount)
#   batch_sched_delay=0  jobs start on a ~1 s scheduler tick instead of ~3 s
#   KillWait=5         the SIGTERM → SIGKILL grace of scancel and time limits, short for tests
#   no slurmdbd        hdbench records each job's exit status itself (a file in the trial folder)
set -euo pipefail

BASE=${SLURM_LOCAL_DIR:-/tmp/hdbench-slurm}
NODES=${SLURM_LOCAL_NODES:-1}
CPUS=${SLURM_LOCAL_CPUS:-8}
PORT=${SLURM_LOCAL_PORT:-6817}
export SLURM_CONF=$BASE/etc/slurm.conf
SOCKET=$BASE/munge/run/munge.socket.2

say() { echo "[slurm-local] $*" >&2; }
fail() { say "error: $*"; exit 1; }
# A daemon that exited may linger as a zombie: alive means running and not a zombie.
is_alive() { local s; s=$(ps -o stat= -p "$1" 2>/dev/null) && [ "${s#Z}" = "$s" ]; }
pid_alive() { [ -f "$1" ] && is_alive "$(cat "$1")"; }
nodes() { if [ "$NODES" = 1 ]; then echo localhost; else seq -f 'n%g' 1 "$NODES"; fi; }

install() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null && command -v munged >/dev/null; then
    return 0
  fi
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends slurmctld slurmd slurm-client munge >/dev/null
}

start_munge() {
  local m=$BASE/munge
  mkdir -p "$m"/{etc,run,log,lib}
  dd if=/dev/urandom of="$m/etc/munge.key" bs=1024 count=1 status=none
  # munged insists on owning its key (0400) and private folders (0700).
  chown -R munge:munge "$m"
  chmod 755 "$m" "$m/run"; chmod 700 "$m/etc" "$m/log" "$m/lib"; chmod 400 "$m/etc/munge.key"
  runuser -u munge -- /usr/sbin/munged --key-file="$m/etc/munge.key" --socket="$SOCKET" \
    --pid-file="$m/run/munged.pid" --log-file="$m/log/munged.log" --seed-file="$m/lib/munged.seed"
  for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
  munge -n -S "$SOCKET" | unmunge -S "$SOCKET" >/dev/null || fail "munge does not work (see $m/log/munged.log)"
}

write_config() {
  mkdir -p "$BASE"/{etc,state,run,log}
  local node_lines="" i=1 n
  for n in $(nodes); do
    mkdir -p "$BASE/spool/$n"
    if [ "$NODES" = 1 ]; then
      node_lines="NodeName=localhost CPUs=$CPUS RealMemory=1000 State=UNKNOWN"
    else
      node_lines+="NodeName=$n NodeHostname=localhost NodeAddr=127.0.0.1 Port=$((PORT + i)) CPUs=$CPUS RealMemory=1000 State=UNKNOWN"$'\n'
    fi
    i=$((i + 1))
  done
  cat > "$SLURM_CONF" <<EOF
ClusterName=hdbench
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool/%n
SlurmctldPidFile=$BASE/run/slurmctld.pid
SlurmdPidFile=$BASE/run/slurmd-%n.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd-%n.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=5
MinJobAge=300
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SlurmdParameters=config_overrides
$node_lines
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
}

start() {
  if pid_alive "$BASE/run/slurmctld.pid"; then echo "export SLURM_CONF=$SLURM_CONF"; return 0; fi
  command -v slurmctld >/dev/null || fail "Slurm is not installed: $0 install"
  rm -rf "$BASE"
  write_config
  start_munge
  /usr/sbin/slurmctld -f "$SLURM_CONF"
  local n
  for n in $(nodes); do /usr/sbin/slurmd -f "$SLURM_CONF" -N "$n"; done
  local states=""
  for _ in $(seq 300); do
    states=$(sinfo -h -o %T 2>/dev/null | sort -u | tr '\n' ' ' || true)
    [ "$states" = "idle " ] && break
    sleep 0.2
  done
  [ "$states" = "idle " ] || { tail -n 20 "$BASE"/log/*.log >&2; fail "nodes not idle: '$states'"; }
  say "up: $(sinfo -h -o '%D node(s), %c CPUs each, %T')"
  echo "export SLURM_CONF=$SLURM_CONF"
}

stop_daemon() {
  local file=$1 pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if is_alive "$pid"; then
    kill "$pid"
    for _ in $(seq 100); do is_alive "$pid" || break; sleep 0.1; done
    is_alive "$pid" && kill -9 "$pid"
  fi
  rm -f "$file"
}

stop() {
  if pid_alive "$BASE/run/slurmctld.pid"; then
    # Jobs outlive slurmd: cancel them while the daemons are up, and wait.
    scancel --full -u "$(id -un)" 2>/dev/null || true
    for _ in $(seq 150); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.1; done
  fi
  local f
  for f in "$BASE"/run/slurmd-*.pid; do stop_daemon "$f"; done
  stop_daemon "$BASE/run/slurmctld.pid"
  stop_daemon "$BASE/munge/run/munged.pid"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$SLURM_CONF" ;;
  *) echo "usage: $0 install|start|stop|env" >&2; exit 2 ;;
esac
