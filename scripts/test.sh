#!/usr/bin/env bash
# `npm test`: build, bring up a Docker engine for the integration tests, build
# the fixture images, run every test with ava.
#
# The engine, in order of preference:
#   1. a private dockerd (scripts/test-daemon.sh: own socket and data root, so
#      the tests never touch your images); stopped again at the end if this
#      script started it (DSP_KEEP_DAEMON=1 keeps it running for the next run);
#   2. when a private one cannot run here (not root, no dockerd): the daemon
#      named by DOCKER_HOST, if it answers (fixture images dsp-fixture/* are
#      then built in it);
#   3. neither: fail, or with DSP_SKIP_INTEGRATION=1 run the unit tests only.
#
# With a private daemon, a second one (instance "watch", state in
# /tmp/dsp-test-daemon-watch, DSP_WATCH_DAEMON_DIR for the tests) is started for
# the watch tests, which restart it mid-test; the first one is shared by every
# test file and is never restarted. It gets the same imported busybox base.
# A third one (instance "audit") is insecure on purpose, on loopback only, for
# the audit tests of the daemon rules: `--debug --insecure-registry 10.0.0.0/8
# -H tcp://127.0.0.1:PORT` (a free port), live restore off, no user
# namespaces; DSP_AUDIT_DAEMON_HOST (its tcp:// endpoint) and
# DSP_AUDIT_DAEMON_SOCK (its unix socket) tell the tests where it is.
# A fourth (instance "faults", DSP_FAULTS_DAEMON_DIR) is for the daemon-fault
# tests, which stop, kill and restart it mid-test.
#
# Exit status: ava's (or the failing step's).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1

# The layer cache of this test run: never the user's ~/.cache (removed at exit).
TEST_CACHE=$(mktemp -d "${TMPDIR:-/tmp}/dsp-test-cache.XXXXXX")
export DSP_CACHE_DIR=$TEST_CACHE

say() { printf 'test: %s\n' "$*" >&2; }

STARTED_DAEMON=0
# The other private instances this run started (stopped again at exit).
STARTED_INSTANCES=()
instance() { # NAME test-daemon.sh-arguments…
  local name=$1
  shift
  DSP_TEST_DAEMON_DIR='' DSP_TEST_DAEMON_INSTANCE=$name bash "$ROOT/scripts/test-daemon.sh" "$@"
}
# Starts an instance (a running one is reused) with these dockerd flags (none by default).
start_instance() { # NAME PURPOSE [FLAGS]
  local running=0
  instance "$1" status >/dev/null 2>&1 && running=1
  if ! DSP_TEST_DAEMON_FLAGS=${3:-} instance "$1" start; then
    say "the private dockerd for $2 failed to start (log in /tmp/dsp-test-daemon-$1/dockerd.log)"
    exit 1
  fi
  [ "$running" = 1 ] || STARTED_INSTANCES+=("$1")
}
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
  rm -rf "$TEST_CACHE"
  if [ "$STARTED_DAEMON" = 1 ] && [ -z "${DSP_KEEP_DAEMON:-}" ]; then
    bash "$ROOT/scripts/test-daemon.sh" stop || true
  fi
  if [ -z "${DSP_KEEP_DAEMON:-}" ]; then
    for name in "${STARTED_INSTANCES[@]}"; do instance "$name" stop || true; done
  fi
  [ -n "${DSP_KEEP_DAEMON:-}" ] || bash "$ROOT/scripts/podman-fixtures.sh" stop || true
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "npm run build"
npm run build || { say "build failed"; exit 1; }

daemon_answers() { # uses the current DOCKER_HOST
  local cli=/usr/bin/docker
  [ -x "$cli" ] || cli=$(command -v docker || true)
  [ -n "$cli" ] || return 1
  "$cli" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

MODE=integration
already_running=0
bash "$ROOT/scripts/test-daemon.sh" status >/dev/null 2>&1 && already_running=1
DSP_TEST_DAEMON_FLAGS='' bash "$ROOT/scripts/test-daemon.sh" start
rc=$?
if [ "$rc" = 0 ]; then
  [ "$already_running" = 1 ] || STARTED_DAEMON=1
  eval "$(bash "$ROOT/scripts/test-daemon.sh" env)"
  export DOCKER_HOST
  unset DOCKER_CONTEXT
  say "using the private daemon at $DOCKER_HOST"
  # The second private daemon, for the watch tests that restart a daemon.
  start_instance watch "the watch tests"
  WATCH_DAEMON_DIR=/tmp/dsp-test-daemon-watch
  # The third, insecure on loopback only, for the audit daemon-rule tests. A
  # running one keeps its port; otherwise a free loopback port is picked.
  audit_port=""
  instance audit status >/dev/null 2>&1 && audit_port=$(instance audit env | sed -n 's|^export DSP_TEST_DAEMON_TCP=tcp://127\.0\.0\.1:\([0-9]*\)$|\1|p')
  [ -n "$audit_port" ] || audit_port=$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });')
  start_instance audit "the audit tests" "--debug --insecure-registry 10.0.0.0/8 -H tcp://127.0.0.1:$audit_port"
  # The fourth, for the daemon-fault tests, which SIGSTOP and SIGKILL it mid-test.
  start_instance faults "the daemon-fault tests"
  FAULTS_DAEMON_DIR=/tmp/dsp-test-daemon-faults
  AUDIT_DAEMON_HOST=tcp://127.0.0.1:$audit_port
  AUDIT_DAEMON_SOCK=unix:///tmp/dsp-test-daemon-audit/docker.sock
elif [ "$rc" = 3 ]; then
  if [ -n "${DOCKER_HOST:-}" ] && daemon_answers; then
    say "no private daemon possible here; using DOCKER_HOST=$DOCKER_HOST (fixture images dsp-fixture/* will be built there)"
  elif [ "${DSP_SKIP_INTEGRATION:-}" = 1 ]; then
    say "no Docker engine: DSP_SKIP_INTEGRATION=1, running the unit tests only"
    MODE=unit
  else
    say "no Docker engine for the integration tests: run as root with docker.io installed (a private dockerd is started), or set DOCKER_HOST to a running daemon, or set DSP_SKIP_INTEGRATION=1 to run the unit tests only"
    exit 1
  fi
else
  say "the private dockerd failed to start (see above; log in ${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}/dockerd.log)"
  exit 1
fi

if [ "$MODE" = integration ]; then
  say "building fixture images"
  if ! bash "$ROOT/scripts/fixtures.sh"; then
    say "fixture build failed"
    exit 1
  fi
  say "building the content fixture images (Debian minbase)"
  if ! bash "$ROOT/scripts/content-fixtures.sh"; then
    say "content fixture build failed"
    exit 1
  fi
  export DSP_FIXTURES_READY=1
  export DSP_CONTENT_FIXTURES="${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}/content-fixtures"
  bash "$ROOT/scripts/sbom-fixtures.sh" || { say "bill-of-materials fixture build failed"; exit 1; }; export DSP_SBOM_FIXTURES="${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}/sbom-fixtures"
  # The busybox base in the other private daemons (from the fixtures' root filesystem).
  import_base() { # import_base DOCKER_HOST WHOSE
    local cli=/usr/bin/docker rootfs=${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}/fixtures/gen/rootfs.tar
    [ -x "$cli" ] || cli=$(command -v docker)
    DOCKER_HOST="$1" "$cli" image inspect dsp-fixture/busybox:base >/dev/null 2>&1 && return 0
    say "importing dsp-fixture/busybox:base into $2"
    DOCKER_HOST="$1" "$cli" import "$rootfs" dsp-fixture/busybox:base >/dev/null || { say "import failed"; exit 1; }
  }
  if [ -n "${WATCH_DAEMON_DIR:-}" ]; then
    import_base "unix://$WATCH_DAEMON_DIR/docker.sock" "the watch tests' daemon"
    export DSP_WATCH_DAEMON_DIR=$WATCH_DAEMON_DIR
  fi
  if [ -n "${FAULTS_DAEMON_DIR:-}" ]; then
    import_base "unix://$FAULTS_DAEMON_DIR/docker.sock" "the daemon-fault tests' daemon"
    export DSP_FAULTS_DAEMON_DIR=$FAULTS_DAEMON_DIR
  fi
  # audit reads every image of its daemon: its image tests get a daemon of their own.
  [ -z "${AUDIT_DAEMON_SOCK:-}" ] || import_base "$AUDIT_DAEMON_SOCK" "the audit tests' daemon"
  if [ -n "${AUDIT_DAEMON_HOST:-}" ]; then
    export DSP_AUDIT_DAEMON_HOST=$AUDIT_DAEMON_HOST DSP_AUDIT_DAEMON_SOCK=$AUDIT_DAEMON_SOCK
  fi
  # Podman's API as a second engine (exit 3: not installed here; the case then says it skipped).
  prc=0
  bash "$ROOT/scripts/podman-fixtures.sh" start || prc=$?
  if [ "$prc" = 0 ]; then
    eval "$(bash "$ROOT/scripts/podman-fixtures.sh" env)"
    export DSP_PODMAN_HOST
    say "Podman API service at $DSP_PODMAN_HOST"
  elif [ "$prc" != 3 ]; then
    say "the Podman API service failed"
    exit 1
  fi
  export DSP_TEST_DAEMON_DIR=${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}
  export DSP_FIXTURE_ARCHIVES="$DSP_TEST_DAEMON_DIR/archives"
  export DSP_FIXTURES_EXPECTED="$ROOT/scripts/fixtures/expected.json"
  say "npx ava (DOCKER_HOST=$DOCKER_HOST, DSP_FIXTURES_READY=1)"
  npx ava
  status=$?
else
  say "npx ava 'dist/test/unit/**/*.test.js'"
  npx ava 'dist/test/unit/**/*.test.js'
  status=$?
fi
say "ava exited with $status"
exit "$status"
