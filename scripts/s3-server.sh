#!/usr/bin/env bash
# Real S3-compatible server for tests: a private, single-node Ceph cluster
# (one mon + one memstore OSD + radosgw) from Debian packages, on 127.0.0.1 only.
#
#   bash scripts/s3-server.sh start    # idempotent; writes $S3_STATE_DIR/s3.env
#   bash scripts/s3-server.sh stop     # stops the daemons, removes the state dir
#   bash scripts/s3-server.sh status   # exit 0 when the S3 endpoint answers
#
# Environment:
#   S3_STATE_DIR         state directory (default: $PWD/.tmp/s3)
#   S3_PORT              preferred radosgw port (default 7480; a free one if taken)
#   S3_START_TIMEOUT     seconds to wait for the endpoint (default 90)
#   S3_MEMSTORE_BYTES    capacity of the in-memory OSD (default 4 GiB; RAM is used
#                        only for what is stored)
#
# Consumers load the credentials with:  set -a; . "$S3_STATE_DIR/s3.env"; set +a
#
# Why Ceph: it is the real thing (multipart, ranges, streaming, ETags) and it is in
# Debian's archive, which is all this machine can reach. Why so much configuration:
# each non-obvious setting is explained below.
set -euo pipefail
unset CEPH_ARGS   # would be appended to every Ceph command line below

readonly CLUSTER=vertexs3       # private cluster name: never the default "ceph"
readonly PACKAGES=(ceph-mon ceph-osd radosgw ceph-common)
readonly TOOLS=(ceph-mon ceph-osd radosgw radosgw-admin ceph monmaptool)
readonly RGW_NAME=client.rgw.a
readonly RGW_UID=vertex-test
# The pools radosgw (Pacific, default zone) uses; see the comment in cmd_start.
readonly RGW_POOLS=(.rgw.root default.rgw.log default.rgw.control default.rgw.meta
  default.rgw.buckets.index default.rgw.buckets.data default.rgw.buckets.non-ec)

STATE_DIR="${S3_STATE_DIR:-$PWD/.tmp/s3}"
case "$STATE_DIR" in /*) ;; *) STATE_DIR="$PWD/$STATE_DIR" ;; esac  # daemons need absolute paths
STATE_DIR="${STATE_DIR%/}"
readonly STATE_DIR
readonly CONF="$STATE_DIR/$CLUSTER.conf"
readonly ENV_FILE="$STATE_DIR/s3.env"
readonly RUN_DIR="$STATE_DIR/run"
readonly LOG_DIR="$STATE_DIR/log"
readonly START_TIMEOUT="${S3_START_TIMEOUT:-90}"
readonly STOP_TIMEOUT=10   # seconds between TERM and KILL
readonly DAEMONS=(radosgw osd mon)

log() { printf 's3-server: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------- helpers

ensure_packages() {
  local missing=0 t
  for t in "${TOOLS[@]}"; do command -v "$t" >/dev/null 2>&1 || missing=1; done
  ((missing)) || return 0
  local cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${PACKAGES[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    log "Ceph is not installed. As root, run:"
    printf '%s\n' "$cmd" >&2
    exit 1
  fi
  log "installing ${PACKAGES[*]} from Debian (about a minute)"
  apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${PACKAGES[@]}" >&2
}

# True when something accepts TCP connections on 127.0.0.1:$1 (bash's /dev/tcp:
# no dependency on curl/nc, which a fresh Debian may lack).
port_in_use() {
  # shellcheck disable=SC2016  # $1 is expanded by the inner bash, on purpose
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

# First free port from $1 upwards (bounded scan).
free_port() {
  local p=$1 last=$(($1 + 200))
  for ((; p <= last; p++)); do
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free TCP port on 127.0.0.1 in $1..$last"
}

# Anonymous "GET /" over bash's /dev/tcp. radosgw answers with an S3 XML document
# (ListAllMyBucketsResult for the anonymous user); anything else is not S3.
s3_answers() {
  local port=$1 reply
  # shellcheck disable=SC2016  # $1 is expanded by the inner bash, on purpose
  reply=$(timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "GET / HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n" "$1" >&3
    cat <&3' _ "$port" 2>/dev/null) || return 1
  [[ $reply == HTTP/1.?\ 200* && $reply == *ListAllMyBucketsResult* ]]
}

# Random string of length $1 over the tr character set $2, from /dev/urandom.
# Collected into a variable rather than `tr </dev/urandom | head`, where tr dies of
# SIGPIPE and pipefail turns that into a failure.
random_string() {
  local s=""
  while ((${#s} < $1)); do
    s+=$(head -c 512 /dev/urandom | LC_ALL=C tr -dc "$2")
  done
  printf '%s' "${s:0:$1}"
}

new_uuid() { cat /proc/sys/kernel/random/uuid; }

# Pid from our pid file, only if that process is still alive AND is one of ours
# (its command line names our conf file): a recycled pid is never signalled.
daemon_pid() {
  local f="$RUN_DIR/$1.pid" pid
  [[ -r $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ && -r /proc/$pid/cmdline ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$CONF" || return 1
  echo "$pid"
}

env_port() {
  [[ -r $ENV_FILE ]] || return 1
  sed -n 's|^S3_ENDPOINT=http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$ENV_FILE"
}

healthy() {
  local port d
  port=$(env_port) && [[ -n $port ]] || return 1
  for d in "${DAEMONS[@]}"; do daemon_pid "$d" >/dev/null || return 1; done
  s3_answers "$port"
}

# All Ceph CLI calls go to the private cluster; --connect-timeout keeps a dead mon
# from hanging the script.
ceph_cli() { ceph --cluster "$CLUSTER" -c "$CONF" --connect-timeout 20 "$@"; }

# Start a daemon in the background in its own session (a Ctrl-C or the caller's
# process group ending does not take it down), output to a file (so a caller that
# pipes our output does not wait on the daemon's open stdout). fd 9 (the lock) is
# closed, or the daemon would hold the lock for its whole life.
spawn() {
  local name=$1; shift
  setsid "$@" </dev/null >>"$LOG_DIR/$name.out" 2>&1 9>&- &
  echo $! >"$RUN_DIR/$name.pid"
}

# On failure: say what failed, show the tail of the relevant logs (arguments: mon,
# osd, radosgw, cli), stop whatever started (no orphan daemons in CI) and keep the
# logs for inspection.
fail_start() {
  local msg=$1 what f files=(); shift
  log "error: $msg"
  for what in "$@"; do
    case $what in
      mon) files+=("$LOG_DIR/mon.out" "$LOG_DIR/mon.a.log") ;;
      osd) files+=("$LOG_DIR/osd.out" "$LOG_DIR/osd.0.log") ;;
      radosgw) files+=("$LOG_DIR/radosgw.out" "$LOG_DIR/$RGW_NAME.log") ;;
      cli) files+=("$LOG_DIR/cli.out") ;;
    esac
  done
  for f in "${files[@]}"; do
    [[ -s $f ]] || continue
    printf '\n==> %s (last 15 lines) <==\n' "$f" >&2
    tail -n 15 "$f" >&2
  done
  stop_daemons
  log "logs kept in $LOG_DIR; 'bash scripts/s3-server.sh stop' removes them"
  exit 1
}

# ---------------------------------------------------------------- stop

any_alive() {
  local pid
  for pid; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}

# TERM the given daemons together, KILL those still alive after STOP_TIMEOUT.
stop_group() {
  local d pid pids=() i
  for d; do
    pid=$(daemon_pid "$d") || continue
    kill -TERM "$pid" 2>/dev/null && pids+=("$pid")
  done
  ((${#pids[@]})) || return 0
  for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
    any_alive "${pids[@]}" || return 0
    sleep 0.1
  done
  for pid in "${pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ignored TERM for ${STOP_TIMEOUT}s; killing"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
}

# radosgw first: its shutdown unregisters watches on the OSD and hangs if the OSD
# is already gone. Then OSD and mon together: the data is discarded anyway.
stop_daemons() {
  stop_group radosgw
  stop_group osd mon
}

# Removes only what this script creates, so a mistaken S3_STATE_DIR (e.g. $HOME)
# cannot lose unrelated files.
remove_state() {
  [[ -d $STATE_DIR ]] || return 0
  rm -rf -- "$CONF" "$ENV_FILE" "$STATE_DIR/monmap" \
    "$STATE_DIR/mon" "$STATE_DIR/osd" "$STATE_DIR/rgw" "$RUN_DIR" "$LOG_DIR" "$STATE_DIR/crash"
  rmdir -- "$STATE_DIR" 2>/dev/null || log "note: $STATE_DIR not empty, left in place"
}

cmd_stop() {
  stop_daemons
  remove_state
  log "stopped"
}

# ---------------------------------------------------------------- start

write_conf() {
  local fsid=$1 mon_port=$2 rgw_port=$3 mem_bytes=$4
  # '$name' and '$cluster' are Ceph metavariables, expanded by Ceph (hence \$).
  cat >"$CONF" <<EOF
# Generated by scripts/s3-server.sh: private test cluster, loopback only.
[global]
fsid = $fsid
mon initial members = a
# msgr2 only, on one port we checked is free (not the usual 3300/6789).
mon host = [v2:127.0.0.1:$mon_port]
ms bind msgr1 = false
ms bind msgr2 = true
ms bind ipv6 = false
public addr = 127.0.0.1
cluster addr = 127.0.0.1
public network = 127.0.0.1/32
cluster network = 127.0.0.1/32

# No cephx: loopback-only throwaway cluster. With auth none the msgr2 modes must be
# crc, otherwise clients loop on authentication with -13 (EACCES).
auth cluster required = none
auth service required = none
auth client required = none
ms cluster mode = crc
ms service mode = crc
ms client mode = crc
ms mon cluster mode = crc
ms mon service mode = crc
ms mon client mode = crc

# Keep every path inside the state dir: never /etc/ceph, /var/lib/ceph, /var/run/ceph.
# The keyring is never created (auth is off); naming it keeps /etc/ceph out.
keyring = $STATE_DIR/keyring
run dir = $RUN_DIR
admin socket = $RUN_DIR/\$cluster-\$name.asok
crash dir = $STATE_DIR/crash
log file = $LOG_DIR/\$name.log
log to stderr = false
mon cluster log file = $LOG_DIR/cluster.log

# One OSD: replicas of 1 (explicitly allowed), small fixed PG counts, no autoscaler
# (there is no mgr), no failure domain above the OSD itself.
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
# Irrelevant without cephx; silences a HEALTH_WARN that would hide real ones.
mon warn on insecure global id reclaim allowed = false
# rgw creates about 8 pools x 8 PGs on a single OSD: above the default limit.
mon max pg per osd = 1000
# The mon refuses to run on a nearly full disk by default; CI disks can be full-ish.
mon data avail crit = 0
mon data avail warn = 0
# Each pool creation is one Paxos commit, which a mon batches for up to 1 s by
# default: with about 14 such commits at start-up, that wait dominated. One mon,
# no peers: commit right away.
paxos propose interval = 0.01
paxos min wait = 0.01

[mon]
mon data = $STATE_DIR/mon/\$cluster-\$id

[osd]
osd data = $STATE_DIR/osd/\$cluster-\$id
# Data lives in RAM: fast, nothing to clean up, and no block device needed.
osd objectstore = memstore
memstore device bytes = $mem_bytes
# stop ends OSD and mon together: an OSD that first tells the (possibly gone) mon
# that it is leaving waits 5 s for an answer.
osd fast shutdown notify mon = false

[$RGW_NAME]
rgw data = $STATE_DIR/rgw
# tcp_nodelay: without it small GETs wait ~50 ms on Nagle + delayed ACK.
rgw frontends = beast endpoint=127.0.0.1:$rgw_port tcp_nodelay=1
rgw enable usage log = false
rgw enable ops log = false
# The lifecycle worker sleeps through SIGTERM, adding ~4 s to every stop; tests never
# wait the day a lifecycle rule needs (the lifecycle API itself still works).
rgw enable lc threads = false
EOF
}

cmd_start() {
  ensure_packages
  if healthy; then
    log "already running"
    finish
    return 0
  fi
  # Anything half-started or left over (crash, reboot) is discarded: memstore data
  # does not survive a daemon kill anyway, and a fresh cluster takes seconds.
  stop_daemons
  remove_state

  local mon_port rgw_port fsid osd_uuid osd_id access_key secret_key deadline d pool pools_pid
  mon_port=$(free_port 3300)
  rgw_port=${S3_PORT:-7480}
  port_in_use "$rgw_port" && rgw_port=$(free_port $((rgw_port + 1)))
  [[ $rgw_port != "$mon_port" ]] || rgw_port=$(free_port $((mon_port + 1)))
  fsid=$(new_uuid)
  osd_uuid=$(new_uuid)

  mkdir -p "$STATE_DIR" "$RUN_DIR" "$LOG_DIR" "$STATE_DIR/crash" "$STATE_DIR/rgw" \
    "$STATE_DIR/mon/$CLUSTER-a" "$STATE_DIR/osd/$CLUSTER-0"
  chmod 700 "$STATE_DIR"   # s3.env holds the secret key
  write_conf "$fsid" "$mon_port" "$rgw_port" "${S3_MEMSTORE_BYTES:-4294967296}"
  log "starting private Ceph cluster in $STATE_DIR (mon 127.0.0.1:$mon_port, S3 127.0.0.1:$rgw_port)"

  # Monitor: monmap, store, daemon (no keyring: auth is off).
  monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$STATE_DIR/monmap" >/dev/null
  ceph-mon --cluster "$CLUSTER" -c "$CONF" -i a --mkfs --monmap "$STATE_DIR/monmap" \
    >>"$LOG_DIR/mon.out" 2>&1 ||
    fail_start "ceph-mon --mkfs failed" mon
  spawn mon ceph-mon --cluster "$CLUSTER" -c "$CONF" -i a -f

  # OSD: register it (this also waits for the mon to form its quorum), create its
  # in-memory store, start it.
  osd_id=$(ceph_cli osd new "$osd_uuid" 2>>"$LOG_DIR/cli.out") ||
    fail_start "mon did not answer 'osd new'" cli mon
  [[ $osd_id == 0 ]] || fail_start "unexpected OSD id '$osd_id'" cli

  # Create rgw's pools up front, alongside the OSD's mkfs. rgw would create the
  # bucket pools lazily on the first CreateBucket/PutObject/multipart upload, each
  # costing seconds of PG creation inside a test's request. One CLI process reading
  # commands from stdin: each extra `ceph` process costs ~0.5 s of Python start-up.
  for pool in "${RGW_POOLS[@]}"; do
    printf 'osd pool create %s\nosd pool application enable %s rgw\n' "$pool" "$pool"
  done | ceph_cli >>"$LOG_DIR/cli.out" 2>&1 &
  pools_pid=$!
  ceph-osd --cluster "$CLUSTER" -c "$CONF" -i 0 --mkfs --osd-uuid "$osd_uuid" \
    >>"$LOG_DIR/osd.out" 2>&1 || fail_start "ceph-osd --mkfs failed" osd
  spawn osd ceph-osd --cluster "$CLUSTER" -c "$CONF" -i 0 -f
  wait "$pools_pid" || fail_start "creating the rgw pools failed" cli mon

  # radosgw opens its port only after it has read and written its pools, i.e. once
  # the OSD is up and the PGs are active: an S3 answer means ready.
  spawn radosgw radosgw --cluster "$CLUSTER" -c "$CONF" -n "$RGW_NAME" -f

  deadline=$((SECONDS + START_TIMEOUT))
  until s3_answers "$rgw_port"; do
    for d in "${DAEMONS[@]}"; do
      daemon_pid "$d" >/dev/null || fail_start "$d exited during start-up" "$d"
    done
    ((SECONDS < deadline)) ||
      fail_start "S3 endpoint 127.0.0.1:$rgw_port did not answer within ${START_TIMEOUT}s" radosgw osd mon
    sleep 0.5
  done

  # Fresh random credentials per cluster (AWS-like shapes: 20 and 40 chars).
  access_key=$(random_string 20 'A-Z0-9')
  secret_key=$(random_string 40 'A-Za-z0-9')
  radosgw-admin --cluster "$CLUSTER" -c "$CONF" user create --uid="$RGW_UID" \
    --display-name="Vertex AR tests" --access-key="$access_key" --secret-key="$secret_key" \
    >/dev/null 2>>"$LOG_DIR/cli.out" || fail_start "radosgw-admin user create failed" cli

  # Written last and atomically: its presence means "ready".
  umask 077
  cat >"$ENV_FILE.tmp" <<EOF
S3_ENDPOINT=http://127.0.0.1:$rgw_port
S3_REGION=us-east-1
S3_ACCESS_KEY_ID=$access_key
S3_SECRET_ACCESS_KEY=$secret_key
S3_FORCE_PATH_STYLE=true
EOF
  mv -f "$ENV_FILE.tmp" "$ENV_FILE"
  log "ready after ${SECONDS}s"
  finish
}

# Summary on stderr (never the secret), env file path alone on stdout.
finish() {
  log "endpoint $(sed -n 's/^S3_ENDPOINT=//p' "$ENV_FILE"), access key $(sed -n 's/^S3_ACCESS_KEY_ID=//p' "$ENV_FILE")"
  log "load with: set -a; . $ENV_FILE; set +a"
  printf '%s\n' "$ENV_FILE"
}

cmd_status() {
  if healthy; then
    log "running: $(sed -n 's/^S3_ENDPOINT=//p' "$ENV_FILE")"
    return 0
  fi
  log "not running"
  return 1
}

# ---------------------------------------------------------------- main

# Serialise start/stop on the same state dir (parallel test runners). The lock file
# sits beside the state dir because stop removes the dir itself.
with_lock() {
  mkdir -p "$(dirname "$STATE_DIR")"
  exec 9>"$STATE_DIR.lock"
  flock -w 300 9 || die "timed out waiting for $STATE_DIR.lock"
  "$@"
}

case "${1:-}" in
  start) with_lock cmd_start ;;
  stop) with_lock cmd_stop ;;
  status) cmd_status ;;
  *) printf 'usage: %s start|stop|status\n' "$0" >&2; exit 2 ;;
esac
