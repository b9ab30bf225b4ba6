#!/usr/bin/env bash
# Builds the fixture images for the integration tests in the daemon that
# DOCKER_HOST names (normally the private one of scripts/test-daemon.sh).
#
#   dsp-fixture/busybox:base        `docker import` of a busybox-static rootfs
#   dsp-fixture/<name>:classic      scripts/fixtures/<name>/Dockerfile, classic builder
#   dsp-fixture/<name>:buildkit     the same with BuildKit
#
# What each fixture must and must not trigger: scripts/fixtures/expected.json.
#
# Idempotent: an image whose label dsp.fixture.hash equals the hash of its
# Dockerfile, build context, builder and base image id is not rebuilt. The
# imported base has no label (its config stays empty): its hash and image id
# are kept in the state directory.
#
# Also writes ${state}/archives/legacy.tar (`docker save` of
# dsp-fixture/setuid-removed:classic) for the daemonless tests.
#
# Environment:
#   DOCKER_HOST               the daemon (default: the docker CLI's default)
#   DSP_TEST_DAEMON_DIR       state directory (default /tmp/dsp-test-daemon)
#   DSP_FIXTURE_BUILDERS      "classic buildkit" (default) or one of them
#   DSP_FIXTURES              only these fixture names (space separated)
#   DSP_DOCKER_CLI            docker client (default /usr/bin/docker, else docker)
#   DSP_BUSYBOX               a static busybox (default /bin/busybox)
#   DSP_FIXTURES_REBUILD=1    ignore the hashes and rebuild everything
set -euo pipefail
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIXTURES_SRC="$HERE/fixtures"
STATE_DIR=${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}
WORK="$STATE_DIR/fixtures"
ARCHIVES="$STATE_DIR/archives"
BUILDERS=${DSP_FIXTURE_BUILDERS:-classic buildkit}
BUSYBOX=${DSP_BUSYBOX:-/bin/busybox}
# Bump to force every fixture to be rebuilt after a change to this script.
FIXTURE_VERSION=1
BASE_TAG=dsp-fixture/busybox:base
ARCHIVE_IMAGE=dsp-fixture/setuid-removed:classic

if [ -n "${DSP_DOCKER_CLI:-}" ]; then
  DOCKER=$DSP_DOCKER_CLI
elif [ -x /usr/bin/docker ]; then
  DOCKER=/usr/bin/docker
else
  DOCKER=$(command -v docker || true)
fi

say() { printf 'fixtures: %s\n' "$*" >&2; }
die() { printf 'fixtures: error: %s\n' "$*" >&2; exit 1; }

{ [ -n "$DOCKER" ] && [ -x "$DOCKER" ]; } || die "no docker client found (apt-get install docker.io, or set DSP_DOCKER_CLI)"
[ -x "$BUSYBOX" ] || die "$BUSYBOX not found: apt-get install busybox-static (or set DSP_BUSYBOX to a static busybox)"
if ! server=$("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null); then
  die "the daemon at ${DOCKER_HOST:-<docker default>} does not answer (start one with scripts/test-daemon.sh start)"
fi
say "daemon ${DOCKER_HOST:-<docker default>} (engine $server), client $DOCKER"

mkdir -p "$WORK/ctx" "$WORK/logs" "$WORK/gen" "$ARCHIVES"
# One fixture build at a time per state directory.
exec 8>"$WORK/.lock"
flock -w 600 8 || die "another fixtures.sh holds $WORK/.lock"

image_id() { "$DOCKER" image inspect --format '{{.Id}}' "$1" 2>/dev/null; }
# shellcheck source=scripts/fixture-lib.sh
. "$HERE/fixture-lib.sh"

# A deterministic tar of a directory (same bytes for the same tree).
det_tar() { # dir out
  tar --sort=name --mtime='2024-01-01 00:00:00Z' --numeric-owner --format=gnu \
    -C "$1" -cf "$2" .
}

# --- generated build inputs --------------------------------------------------

make_rootfs() {
  local root="$WORK/gen/rootfs" p
  rm -rf "$root"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/local/bin,usr/local/share,etc,tmp,root,home/app,var/mail,dev,proc,sys}
  cp "$BUSYBOX" "$root/bin/busybox"
  chmod 0755 "$root/bin/busybox"
  # What `busybox --install -s` does, without running it in a chroot.
  for p in $("$BUSYBOX" --list-full); do
    [ "$p" = bin/busybox ] && continue
    mkdir -p "$root/$(dirname "$p")"
    ln -sfn /bin/busybox "$root/$p"
  done
  # /bin/su: a real file with the setuid bit (the applet link would make
  # busybox itself setuid).
  rm -f "$root/bin/su"
  printf '#!/bin/sh\nexec /bin/busybox su "$@"\n' >"$root/bin/su"
  chmod 4755 "$root/bin/su"
  # A plain executable for setuid-added to chmod u+s.
  printf '#!/bin/sh\necho legacy-tool\n' >"$root/usr/bin/legacy-tool"
  chmod 0755 "$root/usr/bin/legacy-tool"
  cat >"$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
toor:x:0:0:root alias:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
app:x:1000:1000:app:/home/app:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$root/etc/group" <<'EOF'
root:x:0:
daemon:x:1:
mail:x:8:
app:x:1000:
nogroup:x:65534:
EOF
  printf 'root:*:19000:0:99999:7:::\ntoor:*:19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n' >"$root/etc/shadow"
  chmod 0640 "$root/etc/shadow"
  chmod 1777 "$root/tmp"
  chmod 0700 "$root/root"
  chown 1000:1000 "$root/home/app" 2>/dev/null || say "warning: cannot chown /home/app to 1000 (not root?)"
  chgrp 8 "$root/var/mail" 2>/dev/null || true
  chmod 2775 "$root/var/mail" # setgid directory: must not count
  det_tar "$root" "$WORK/gen/rootfs.tar.tmp"
  mv "$WORK/gen/rootfs.tar.tmp" "$WORK/gen/rootfs.tar"
}

make_bundle() {
  local b="$WORK/gen/bundle"
  rm -rf "$b"
  mkdir -p "$b/bin"
  printf 'hello from bundle.tar\n' >"$b/hello.txt"
  printf '#!/bin/sh\necho bundled\n' >"$b/bin/run.sh"
  chmod 0755 "$b/bin/run.sh"
  det_tar "$b" "$WORK/gen/bundle.tar"
}

# --- the imported base -------------------------------------------------------

import_base() {
  local hash state="$WORK/busybox-base.state" want_id="" have_id
  hash=$( { echo "v$FIXTURE_VERSION"; sha256sum <"$WORK/gen/rootfs.tar"; } | sha256sum | cut -d' ' -f1)
  if [ -f "$state" ] && [ -z "${DSP_FIXTURES_REBUILD:-}" ]; then
    read -r s_hash want_id <"$state" || true
    have_id=$(image_id "$BASE_TAG" || true)
    if [ "$s_hash" = "$hash" ] && [ -n "$have_id" ] && [ "$have_id" = "$want_id" ]; then
      say "reuse  $BASE_TAG"
      REUSED=$((REUSED + 1))
      return 0
    fi
  fi
  say "import $BASE_TAG"
  have_id=$("$DOCKER" import "$WORK/gen/rootfs.tar" "$BASE_TAG")
  echo "$hash $have_id" >"$state"
  BUILT=$((BUILT + 1))
}

# --- Dockerfile fixtures -----------------------------------------------------

assemble_context() { # name -> prints the context dir
  local name=$1 ctx="$WORK/ctx/$1"
  rm -rf "$ctx"
  mkdir -p "$ctx"
  cp -a "$FIXTURES_SRC/_context/." "$ctx/"
  cp -a "$FIXTURES_SRC/$name/." "$ctx/"
  cp "$WORK/gen/bundle.tar" "$ctx/bundle.tar"
  if grep -q 'rootfs\.tar' "$ctx/Dockerfile"; then
    cp "$WORK/gen/rootfs.tar" "$ctx/rootfs.tar"
  fi
  echo "$ctx"
}

context_hash() { # ctx builder
  local ctx=$1 builder=$2
  {
    echo "v$FIXTURE_VERSION builder=$builder"
    # Base images this Dockerfile builds on, by id.
    echo "base $(image_id "$BASE_TAG")"
    if grep -q 'base-with-cmd' "$ctx/Dockerfile"; then
      echo "base-with-cmd $(image_id "dsp-fixture/base-with-cmd:$builder")"
    fi
    tree_digest "$ctx"
  } | sha256sum | cut -d' ' -f1
}

build_fixture() { # name builder
  local name=$1 builder=$2 tag="dsp-fixture/$1:$2" ctx hash log buildkit
  ctx=$(assemble_context "$name")
  hash=$(context_hash "$ctx" "$builder")
  if [ -z "${DSP_FIXTURES_REBUILD:-}" ] && [ "$(fixture_label "$tag")" = "$hash" ]; then
    say "reuse  $tag"
    REUSED=$((REUSED + 1))
    return 0
  fi
  case $builder in
    classic) buildkit=0 ;;
    buildkit) buildkit=1 ;;
    *) die "unknown builder $builder" ;;
  esac
  local args=(build --network=none --label "$FIXTURE_HASH_LABEL=$hash" -t "$tag")
  if grep -q 'BUILDER' "$ctx/Dockerfile"; then
    args+=(--build-arg "BUILDER=$builder")
  fi
  if [ "$builder" = classic ]; then
    args+=(--force-rm)
  else
    args+=(--progress=plain)
  fi
  log="$WORK/logs/$name.$builder.log"
  say "build  $tag"
  local t0=$SECONDS
  if ! DOCKER_BUILDKIT=$buildkit "$DOCKER" "${args[@]}" "$ctx" </dev/null >"$log" 2>&1; then
    say "building $tag failed; last lines of $log:"
    tail -n 30 "$log" >&2
    if [ "$builder" = buildkit ] && grep -qi 'buildx' "$log"; then
      say "hint: this docker client needs the buildx plugin for BuildKit; use Debian's /usr/bin/docker (docker.io) or set DSP_FIXTURE_BUILDERS=classic"
    fi
    exit 1
  fi
  BUILT=$((BUILT + 1))
  [ $((SECONDS - t0)) -lt 30 ] || say "  ($((SECONDS - t0))s)"
}

save_archive() {
  local id have=""
  case " $BUILDERS " in *" classic "*) ;; *) return 0 ;; esac
  id=$(image_id "$ARCHIVE_IMAGE") || return 0
  [ -f "$ARCHIVES/legacy.id" ] && have=$(cat "$ARCHIVES/legacy.id")
  if [ "$have" = "$id" ] && [ -s "$ARCHIVES/legacy.tar" ]; then
    say "reuse  $ARCHIVES/legacy.tar ($ARCHIVE_IMAGE)"
    return 0
  fi
  say "save   $ARCHIVE_IMAGE > $ARCHIVES/legacy.tar"
  "$DOCKER" save "$ARCHIVE_IMAGE" >"$ARCHIVES/legacy.tar.tmp"
  mv "$ARCHIVES/legacy.tar.tmp" "$ARCHIVES/legacy.tar"
  echo "$id" >"$ARCHIVES/legacy.id"
  echo "$ARCHIVE_IMAGE" >"$ARCHIVES/legacy.image"
}

# --- main --------------------------------------------------------------------

BUILT=0
REUSED=0
START=$SECONDS

# Which fixtures: every directory with a Dockerfile, base-with-cmd first
# (others build on it).
mapfile -t ALL < <(cd "$FIXTURES_SRC" && for d in */; do d=${d%/}; [ -f "$d/Dockerfile" ] && echo "$d"; done | LC_ALL=C sort)
ORDERED=(base-with-cmd)
for n in "${ALL[@]}"; do [ "$n" = base-with-cmd ] || ORDERED+=("$n"); done
if [ -n "${DSP_FIXTURES:-}" ]; then
  ORDERED=(base-with-cmd)
  for n in $DSP_FIXTURES; do
    [ -f "$FIXTURES_SRC/$n/Dockerfile" ] || die "no fixture $n"
    [ "$n" = base-with-cmd ] || ORDERED+=("$n")
  done
fi

make_rootfs
make_bundle
import_base
for builder in $BUILDERS; do
  for n in "${ORDERED[@]}"; do
    build_fixture "$n" "$builder"
  done
done
save_archive

say "done: $BUILT built, $REUSED reused in $((SECONDS - START))s"
