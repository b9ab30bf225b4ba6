#!/usr/bin/env bash
# Makes sure the daemon DOCKER_HOST names has dsp-bench/debian:bookworm: a
# debootstrap'ed Debian bookworm minbase root filesystem, imported. The
# debootstrap runs once (needs root and Debian's mirror); its tar is kept in
# ${DSP_BENCH_DIR:-/tmp/dsp-bench} for every later daemon. Used by the benchmarks.
set -euo pipefail

STATE=${DSP_BENCH_DIR:-/tmp/dsp-bench}
DOCKER=${DSP_DOCKER_CLIENT:-$(command -v /usr/bin/docker || command -v docker)}
"$DOCKER" image inspect dsp-bench/debian:bookworm >/dev/null 2>&1 && exit 0
mkdir -p "$STATE"
if [ ! -f "$STATE/bookworm.tar" ]; then
  echo "debian-base: debootstrap --variant=minbase bookworm (once)…" >&2
  rm -rf "$STATE/rootfs"
  debootstrap --variant=minbase bookworm "$STATE/rootfs" http://deb.debian.org/debian >"$STATE/debootstrap.log" 2>&1 \
    || { tail -5 "$STATE/debootstrap.log" >&2; exit 1; }
  tar -C "$STATE/rootfs" -cf "$STATE/bookworm.tar" .
  rm -rf "$STATE/rootfs"
fi
"$DOCKER" import "$STATE/bookworm.tar" dsp-bench/debian:bookworm >/dev/null
