#!/usr/bin/env bash
# A private dockerd for the integration tests, so that tests never see or touch
# a user's images, containers or networks.
#
#   scripts/test-daemon.sh start    start it (or reuse the one already running)
#   scripts/test-daemon.sh stop     stop it (its data root is kept: images persist)
#   scripts/test-daemon.sh restart  stop, then start (same state directory)
#   scripts/test-daemon.sh env      print `export DOCKER_HOST=unix://…`
#   scripts/test-daemon.sh status   exit 0 when it answers, 1 otherwise
#   scripts/test-daemon.sh purge    stop it and delete the whole state directory
#   scripts/test-daemon.sh flags    print the extra dockerd flags it was started with
#
# DSP_TEST_DAEMON_FLAGS: extra dockerd flags for this instance (the audit tests
# start one with `--debug --insecure-registry 10.0.0.0/8 -H tcp://127.0.0.1:PORT`).
# Any tcp:// address in them must be loopback (127.0.0.0/8, [::1], localhost)
# with a port: an API without TLS is never bound where others can reach it.
# The flags are recorded in the state directory; a running daemon started with
# other flags is restarted by `start`. `env` also prints
# `export DSP_TEST_DAEMON_TCP=tcp://…` when the flags add a tcp:// endpoint.
#
# Everything lives under the state directory
# ${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}, or /tmp/dsp-test-daemon-NAME
# with DSP_TEST_DAEMON_INSTANCE=NAME (a second, independent daemon: the watch
# tests restart theirs without disturbing the one other tests share):
#   docker.sock  the API socket          data/     --data-root (kept between runs)
#   exec/        --exec-root (its own containerd sockets, netns, …)
#   dockerd.pid  --pidfile               dockerd.log  the daemon's log
#   daemon.json  an empty --config-file, so /etc/docker/daemon.json is not read
#
# It must coexist with a system dockerd: own socket, data root, exec root (and so
# its own containerd), pidfile and config file; no bridge, no iptables, no
# IP forwarding/masquerading. Without a bridge, containers (and build steps) have
# network mode "none": build with `--network=none` (no registry is reachable
# anyway). Both the classic builder and BuildKit run RUN steps that way.
#
# Exit status: 0 ok; 1 failure (start: the daemon did not come up; the end of its
# log is printed); 3 cannot run a private daemon here (not root, or no
# dockerd/containerd installed): the caller may fall back to an existing
# DOCKER_HOST.
set -euo pipefail

if [ -n "${DSP_TEST_DAEMON_DIR:-}" ]; then
  STATE_DIR=$DSP_TEST_DAEMON_DIR
elif [ -n "${DSP_TEST_DAEMON_INSTANCE:-}" ]; then
  [[ "$DSP_TEST_DAEMON_INSTANCE" =~ ^[a-z0-9][a-z0-9-]*$ ]] || { echo "test-daemon: DSP_TEST_DAEMON_INSTANCE must be lower-case letters, digits and dashes" >&2; exit 2; }
  STATE_DIR=/tmp/dsp-test-daemon-$DSP_TEST_DAEMON_INSTANCE
else
  STATE_DIR=/tmp/dsp-test-daemon
fi
SOCK="$STATE_DIR/docker.sock"
PIDFILE="$STATE_DIR/dockerd.pid"
LOG="$STATE_DIR/dockerd.log"
DATA_ROOT="$STATE_DIR/data"
EXEC_ROOT="$STATE_DIR/exec"
CONFIG_FILE="$STATE_DIR/daemon.json"
FLAGS_FILE="$STATE_DIR/dockerd.flags"
START_TIMEOUT=${DSP_TEST_DAEMON_TIMEOUT:-90}
DOCKERD=${DSP_DOCKERD:-dockerd}

say() { printf 'test-daemon: %s\n' "$*" >&2; }

# DSP_TEST_DAEMON_FLAGS, split into words and checked: plain words only, and
# every tcp:// endpoint on loopback with an explicit port.
EXTRA_FLAGS=()
parse_extra_flags() {
  local word addr host value expect_host=0 plain='^[][A-Za-z0-9=:/._,@-]+$'
  read -r -a EXTRA_FLAGS <<<"${DSP_TEST_DAEMON_FLAGS:-}"
  for word in "${EXTRA_FLAGS[@]}"; do
    [[ "$word" =~ $plain ]] || { say "DSP_TEST_DAEMON_FLAGS: unsupported characters in \"$word\""; exit 2; }
    # A host address (-H X, --host X, --host=X, -HX) must say unix:// or tcp://:
    # dockerd reads a bare `:2375` as every interface.
    value=""
    if [ "$expect_host" = 1 ]; then
      value=$word
      expect_host=0
    else
      case "$word" in
        -H | --host) expect_host=1 ;;
        --host=*) value=${word#--host=} ;;
        -H*) value=${word#-H} ;;
      esac
    fi
    if [ -n "$value" ] && [[ "$value" != unix://* && "$value" != tcp://* ]]; then
      say "DSP_TEST_DAEMON_FLAGS: host $value: write unix://PATH or tcp://127.0.0.1:PORT"
      exit 2
    fi
    case "$word" in
      *tcp://*)
        addr=${word#*tcp://}
        if [[ "$addr" =~ ^\[([^]]+)\]:([0-9]+)$ ]]; then
          host=${BASH_REMATCH[1]}
        elif [[ "$addr" =~ ^([^:/]+):([0-9]+)$ ]]; then
          host=${BASH_REMATCH[1]}
        else
          say "DSP_TEST_DAEMON_FLAGS: $word: give a loopback address and a port (tcp://127.0.0.1:PORT)"
          exit 2
        fi
        if ! [[ "$host" =~ ^127\.[0-9]+\.[0-9]+\.[0-9]+$ || "$host" = "::1" || "$host" = localhost ]]; then
          say "DSP_TEST_DAEMON_FLAGS: $word: only loopback addresses may be bound without TLS"
          exit 2
        fi
        ;;
    esac
  done
  if [ "$expect_host" = 1 ]; then
    say "DSP_TEST_DAEMON_FLAGS: -H/--host needs an address"
    exit 2
  fi
}

# The first tcp:// endpoint of a flags string, or nothing.
tcp_endpoint_of() {
  local word
  for word in $1; do
    case "$word" in
      *tcp://*) echo "tcp://${word#*tcp://}"; return 0 ;;
    esac
  done
  return 0
}

usage() {
  echo "usage: $0 start|stop|restart|env|status|purge|flags" >&2
  exit 2
}

# Does the socket answer GET /_ping with OK?
ping_daemon() {
  [ -S "$SOCK" ] || return 1
  local out=""
  if command -v curl >/dev/null 2>&1; then
    out=$(curl -fsS --max-time 3 --unix-socket "$SOCK" http://localhost/_ping 2>/dev/null) || return 1
  elif command -v node >/dev/null 2>&1; then
    out=$(SOCK="$SOCK" node -e '
      const req = require("http").get({ socketPath: process.env.SOCK, path: "/_ping", timeout: 3000 },
        (res) => { let b = ""; res.on("data", (d) => (b += d)); res.on("end", () => { process.stdout.write(b); process.exit(res.statusCode === 200 ? 0 : 1); }); });
      req.on("error", () => process.exit(1));
      req.on("timeout", () => { req.destroy(); process.exit(1); });' 2>/dev/null) || return 1
  else
    docker -H "unix://$SOCK" version >/dev/null 2>&1 && return 0
    return 1
  fi
  [ "$out" = "OK" ]
}

# The pid in the pidfile, when that process is alive and is a dockerd.
running_pid() {
  [ -f "$PIDFILE" ] || return 1
  local pid
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  grep -q dockerd "/proc/$pid/cmdline" 2>/dev/null || return 1
  echo "$pid"
}

check_can_run() {
  if [ "$(id -u)" -ne 0 ]; then
    echo "test-daemon: not root: cannot start a private dockerd (set DOCKER_HOST to an existing daemon instead)" >&2
    exit 3
  fi
  if ! command -v "$DOCKERD" >/dev/null 2>&1 && [ ! -x /usr/sbin/dockerd ]; then
    echo "test-daemon: dockerd not installed (apt-get install docker.io): cannot start a private daemon" >&2
    exit 3
  fi
  if ! command -v containerd >/dev/null 2>&1; then
    echo "test-daemon: containerd not installed (apt-get install docker.io): cannot start a private daemon" >&2
    exit 3
  fi
}

do_start() {
  check_can_run
  parse_extra_flags
  mkdir -p "$STATE_DIR"
  # One starter at a time (two test runs starting together share one daemon).
  exec 9>"$STATE_DIR/.lock"
  flock -w 120 9 || { say "could not lock $STATE_DIR/.lock"; exit 1; }

  local pid
  if pid=$(running_pid) && [ "$(cat "$FLAGS_FILE" 2>/dev/null || true)" != "${EXTRA_FLAGS[*]}" ]; then
    say "dockerd (pid $pid) runs with other extra flags (\"$(cat "$FLAGS_FILE" 2>/dev/null || true)\"); restarting it with \"${EXTRA_FLAGS[*]}\""
    do_stop
  fi
  if pid=$(running_pid); then
    if ping_daemon; then
      say "reusing running dockerd (pid $pid) on unix://$SOCK"
      return 0
    fi
    # Alive but not answering: maybe still starting; give it the normal timeout.
    say "dockerd pid $pid is running but not answering yet; waiting"
    wait_ready "$pid" && return 0
    fail_start "$pid"
  fi

  # Stale leftovers from a crash: a dead pidfile, a socket nobody listens on.
  rm -f "$PIDFILE" "$SOCK"
  mkdir -p "$DATA_ROOT" "$EXEC_ROOT"
  [ -f "$CONFIG_FILE" ] || echo '{}' >"$CONFIG_FILE"
  if [ "${#EXTRA_FLAGS[@]}" -gt 0 ]; then
    printf '%s' "${EXTRA_FLAGS[*]}" >"$FLAGS_FILE"
  else
    rm -f "$FLAGS_FILE"
  fi

  local dockerd_bin
  dockerd_bin=$(command -v "$DOCKERD" 2>/dev/null || echo /usr/sbin/dockerd)
  {
    echo "=== $(date -u +%Y-%m-%dT%H:%M:%SZ) starting $dockerd_bin"
  } >>"$LOG"
  say "starting private dockerd (state $STATE_DIR, log $LOG)"
  # setsid: its own session, so a Ctrl-C in the caller's terminal does not hit it;
  # stdin from /dev/null (CI has no stdin); fd 9 (the start lock) closed, or the
  # daemon would hold the lock for its whole life.
  setsid "$dockerd_bin" \
    --host="unix://$SOCK" \
    --data-root="$DATA_ROOT" \
    --exec-root="$EXEC_ROOT" \
    --pidfile="$PIDFILE" \
    --config-file="$CONFIG_FILE" \
    --bridge=none \
    --iptables=false \
    --ip6tables=false \
    --ip-forward=false \
    --ip-masq=false \
    --userland-proxy=false \
    --log-level=info \
    ${DSP_TEST_DAEMON_STORAGE_DRIVER:+--storage-driver="$DSP_TEST_DAEMON_STORAGE_DRIVER"} \
    ${EXTRA_FLAGS[@]+"${EXTRA_FLAGS[@]}"} \
    </dev/null >>"$LOG" 2>&1 9>&- &
  pid=$!
  if wait_ready "$pid"; then
    say "dockerd (pid $pid) ready on unix://$SOCK"
    return 0
  fi
  fail_start "$pid"
}

wait_ready() {
  local pid=$1 waited=0
  while [ "$waited" -lt $((START_TIMEOUT * 5)) ]; do
    if ping_daemon; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.2
    waited=$((waited + 1))
  done
  return 1
}

fail_start() {
  local pid=$1
  if kill -0 "$pid" 2>/dev/null; then
    say "dockerd (pid $pid) did not answer on unix://$SOCK within ${START_TIMEOUT}s; last lines of $LOG:"
  else
    say "dockerd exited during start-up; last lines of $LOG:"
  fi
  # The gRPC chatter between dockerd and containerd hides the cause.
  grep -v 'module=grpc' "$LOG" 2>/dev/null | tail -n 25 >&2 || true
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    sleep 2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  exit 1
}

do_stop() {
  local pid
  if ! pid=$(running_pid); then
    say "not running"
    rm -f "$PIDFILE"
    return 0
  fi
  say "stopping dockerd (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local _
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "dockerd did not stop within 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
  fi
  # Its own containerd normally exits with it; make sure of it (only ours: the
  # one whose state is under our exec root).
  local d cpid
  for d in /proc/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = containerd ] || continue
    cpid=${d#/proc/}
    if tr '\0' ' ' <"$d/cmdline" 2>/dev/null | grep -qF -- "$EXEC_ROOT/"; then
      say "stopping its containerd (pid $cpid)"
      kill -TERM "$cpid" 2>/dev/null || true
    fi
  done
  rm -f "$PIDFILE" "$SOCK"
}

case "${1:-}" in
  start) do_start ;;
  stop) do_stop ;;
  restart)
    do_stop
    do_start
    ;;
  env)
    echo "export DOCKER_HOST=unix://$SOCK"
    tcp=$(tcp_endpoint_of "$(cat "$FLAGS_FILE" 2>/dev/null || true)")
    [ -z "$tcp" ] || echo "export DSP_TEST_DAEMON_TCP=$tcp"
    ;;
  flags)
    cat "$FLAGS_FILE" 2>/dev/null || true
    echo
    ;;
  status)
    if pid=$(running_pid) && ping_daemon; then
      echo "running (pid $pid) on unix://$SOCK"
      exit 0
    fi
    echo "not running"
    exit 1
    ;;
  purge)
    do_stop
    # Leftover mounts under the state dir would make rm fail; unmount first.
    if command -v findmnt >/dev/null 2>&1; then
      findmnt -rn -o TARGET | grep -F -- "$STATE_DIR/" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
    fi
    rm -rf "$STATE_DIR"
    say "removed $STATE_DIR"
    ;;
  *) usage ;;
esac
