#!/usr/bin/env bash
# Podman serves the Docker Engine API too (`podman system service`), and its
# `docker save`-style export differs (layer tars named by diffID at the top,
# `<id>/layer.tar` symlinks). This starts a private Podman API service (own
# root, run root and socket) and imports the fixture rootfs into it, so the
# integration tests can check an image through it.
#
#   scripts/podman-fixtures.sh start   start (or reuse) it and import the image; prints nothing
#   scripts/podman-fixtures.sh env     print `export DSP_PODMAN_HOST=unix://…`
#   scripts/podman-fixtures.sh stop
#
# Exit 3 when podman is not installed or we are not root (the tests then skip
# the Podman case and say so).
set -euo pipefail
STATE=${DSP_PODMAN_DIR:-/tmp/dsp-podman}
SOCK="$STATE/podman.sock"
ROOTFS=${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}/fixtures/gen/rootfs.tar
PODMAN=(podman --root "$STATE/root" --runroot "$STATE/run" --storage-driver vfs --events-backend file --cgroup-manager cgroupfs)

say() { printf 'podman-fixtures: %s\n' "$*" >&2; }

answers() {
  [ -S "$SOCK" ] && node -e '
    require("http").get({ socketPath: process.argv[1], path: "/_ping", timeout: 3000 }, (r) => process.exit(r.statusCode === 200 ? 0 : 1))
      .on("error", () => process.exit(1));' "$SOCK"
}

start() {
  command -v podman >/dev/null 2>&1 || { say "podman is not installed: skipping the Podman API case"; exit 3; }
  [ "$(id -u)" -eq 0 ] || { say "not root: skipping the Podman API case"; exit 3; }
  mkdir -p "$STATE"
  if ! answers; then
    rm -f "$SOCK"
    nohup "${PODMAN[@]}" system service --time=0 "unix://$SOCK" >"$STATE/service.log" 2>&1 &
    echo $! >"$STATE/service.pid"
    for _ in $(seq 1 100); do answers && break; sleep 0.1; done
    answers || { say "the Podman API service did not start:"; tail -5 "$STATE/service.log" >&2; exit 1; }
  fi
  [ -f "$ROOTFS" ] || { say "no fixture rootfs at $ROOTFS (run scripts/fixtures.sh first)"; exit 1; }
  if ! "${PODMAN[@]}" image exists dsp-fixture/podman:import; then
    "${PODMAN[@]}" import --change 'EXPOSE 22' --change 'USER toor' --change 'CMD /bin/sh -c "echo hi"' \
      "$ROOTFS" dsp-fixture/podman:import >/dev/null 2>&1
  fi
}

case "${1:-}" in
  start) start ;;
  env) echo "export DSP_PODMAN_HOST=unix://$SOCK" ;;
  stop)
    if [ -f "$STATE/service.pid" ]; then kill "$(cat "$STATE/service.pid")" 2>/dev/null || true; rm -f "$STATE/service.pid"; fi ;;
  *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
