#!/usr/bin/env bash
# Builds the bill-of-materials and vulnerability fixture images
# (test/integration/sbom.test.ts, vulns.test.ts) in the daemon DOCKER_HOST names:
#
#   dsp-bench/debian:bookworm   debootstrap --variant=minbase (scripts/debian-base.sh)
#   dsp-sbom/planted            that base + npm, PyPI, Go and Maven packages in own steps
#   dsp-sbom/alpine:3.19        os-release and an apk database, FROM scratch
#   dsp-sbom/alpine-app         the above, its apk database rewritten in an own step
#   dsp-sbom/rpm                Rocky Linux 9 os-release and an rpmdb.sqlite made by rpm
#
# and writes the ground truth the tests compare the tool against into the
# state directory: dpkg.tsv (what dpkg-query says the base has), go.txt (the
# planted Go binary's build info), rpm.tsv (what rpm says its database has).
# Idempotent like content-fixtures.sh: an image whose dsp.fixture.hash label
# matches its inputs is not rebuilt.
#
# Environment: DOCKER_HOST, DSP_TEST_DAEMON_DIR (default /tmp/dsp-test-daemon),
# DSP_DOCKER_CLI (default /usr/bin/docker), DSP_BENCH_DIR (debootstrap tar cache),
# DSP_SBOM_GO_BINARY (the Go binary to plant; default: the first Go-built
# program docker.io or runc installed).
set -euo pipefail
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC="$HERE/sbom-fixtures"
STATE=${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}/sbom-fixtures
DOCKER=${DSP_DOCKER_CLI:-/usr/bin/docker}
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)
VERSION=1

say() { printf 'sbom-fixtures: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

command -v python3 >/dev/null 2>&1 || die "python3 is needed to write the jar and read the Go build info"
DSP_DOCKER_CLIENT=$DOCKER bash "$HERE/debian-base.sh" || die "no Debian base image (debootstrap failed; see ${DSP_BENCH_DIR:-/tmp/dsp-bench}/debootstrap.log)"

mkdir -p "$STATE"
exec 8>"$STATE/.lock"
flock -w 600 8 || die "another sbom-fixtures.sh holds $STATE/.lock"

# shellcheck source=scripts/fixture-lib.sh
. "$HERE/fixture-lib.sh"
image_id() {
  "$DOCKER" image inspect --format '{{.Id}}' "$1"
}
# build TAG CONTEXT EXTRA...: builds unless the image's label already matches
# the context's contents and EXTRA (e.g. the base image's ID).
build() {
  local tag=$1 ctx=$2 hash log
  shift 2
  hash=$({
    echo "v$VERSION $tag $*"
    tree_digest "$ctx"
  } | sha256sum | cut -d' ' -f1)
  if [ "$(fixture_label "$tag")" = "$hash" ]; then
    say "reuse  $tag"
    return 0
  fi
  say "build  $tag"
  log="$STATE/$(printf '%s' "$tag" | tr '/:' '__').log"
  # BuildKit, the builder docker uses by default; no network (nothing is fetched)
  if ! DOCKER_BUILDKIT=1 "$DOCKER" build --network=none --label "$FIXTURE_HASH_LABEL=$hash" -t "$tag" "$ctx" </dev/null >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    die "building $tag failed"
  fi
}

# --- ground truth: the base's dpkg database, as dpkg itself reads it ------------
base_id=$(image_id dsp-bench/debian:bookworm)
if [ "$(cat "$STATE/dpkg.tsv.id" 2>/dev/null || true)" != "$base_id" ]; then
  # shellcheck disable=SC2016 # dpkg-query's own ${field} syntax
  "$DOCKER" run --rm --network=none dsp-bench/debian:bookworm \
    dpkg-query -W -f '${Package}\t${Version}\t${Architecture}\t${source:Package}\t${source:Version}\n' >"$STATE/dpkg.tsv.tmp"
  [ -s "$STATE/dpkg.tsv.tmp" ] || die "dpkg-query listed no packages in dsp-bench/debian:bookworm"
  mv "$STATE/dpkg.tsv.tmp" "$STATE/dpkg.tsv"
  printf '%s\n' "$base_id" >"$STATE/dpkg.tsv.id"
fi

# --- dsp-sbom/planted -------------------------------------------------------------
# A real Go binary: Debian's Go programs (docker.io's docker-proxy, runc) are the
# ones every machine running these tests has. The smallest comes first.
go_bin=${DSP_SBOM_GO_BINARY:-}
if [ -z "$go_bin" ]; then
  for c in /usr/sbin/docker-proxy /usr/bin/docker-proxy /usr/libexec/docker/docker-proxy /usr/sbin/runc /usr/bin/runc \
    /usr/bin/containerd-shim-runc-v2; do
    if [ -f "$c" ] && python3 "$SRC/go-buildinfo.py" "$c" >/dev/null; then
      go_bin=$c
      break
    fi
  done
fi
[ -n "$go_bin" ] || die "no Go binary with build info on this machine (docker-proxy, runc): set DSP_SBOM_GO_BINARY"

CTX="$STATE/ctx/planted"
rm -rf "$CTX"
mkdir -p "$CTX/bin" "$CTX/opt/app"
cp -a "$SRC/planted/." "$CTX/"
# node_modules/ is kept as npm/ in the repository: .gitignore hides node_modules
mkdir -p "$CTX/app/node_modules"
mv "$CTX/npm/"* "$CTX/app/node_modules/"
rmdir "$CTX/npm"
cp "$go_bin" "$CTX/bin/"
python3 "$SRC/make-jar.py" "$CTX/opt/app/app.jar"
{
  printf 'binary\t/usr/local/bin/%s\n' "$(basename "$go_bin")"
  python3 "$SRC/go-buildinfo.py" "$go_bin"
} >"$STATE/go.txt"
build dsp-sbom/planted "$CTX" "$base_id"

# --- dsp-sbom/alpine:3.19 and dsp-sbom/alpine-app ------------------------------------
build dsp-sbom/alpine:3.19 "$SRC/alpine/base"
build dsp-sbom/alpine-app "$SRC/alpine/app" "$(image_id dsp-sbom/alpine:3.19)"

# --- dsp-sbom/rpm -------------------------------------------------------------------
# rpm itself writes the database: rpmbuild makes header-only packages, and
# `rpm -i --justdb` records them in a sqlite rpmdb (Rocky 9's format).
command -v rpmbuild >/dev/null 2>&1 || die "rpmbuild is needed for dsp-sbom/rpm (Debian package rpm)"
RCTX="$STATE/ctx/rpm"
specs_hash=$(cat "$SRC/rpm/"* | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STATE/rpm.tsv.id" 2>/dev/null || true)" != "$specs_hash" ] || [ ! -f "$RCTX/rootfs/var/lib/rpm/rpmdb.sqlite" ]; then
  rm -rf "$RCTX" "$STATE/rpmbuild"
  mkdir -p "$RCTX/rootfs/etc" "$RCTX/rootfs/var/lib/rpm" "$STATE/rpmbuild"
  for spec in "$SRC/rpm/"*.spec; do
    rpmbuild -bb --quiet --define "_topdir $STATE/rpmbuild" --target x86_64 "$spec" >"$STATE/rpmbuild.log" 2>&1 \
      || { tail -n 20 "$STATE/rpmbuild.log" >&2; die "rpmbuild $(basename "$spec") failed"; }
  done
  db="$STATE/rpmbuild/db"
  rpm_db=(rpm --dbpath "$db" --define '_db_backend sqlite')
  "${rpm_db[@]}" --initdb
  # Debian's rpm warns that it should not install packages: these only go into the database.
  find "$STATE/rpmbuild/RPMS" -name '*.rpm' -print0 | xargs -0 "${rpm_db[@]}" -i --justdb --nodeps --ignorearch --ignoreos 2>/dev/null
  "${rpm_db[@]}" -qa --qf '%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}\t%{LICENSE}\n' | LC_ALL=C sort >"$STATE/rpm.tsv"
  # rpm has closed the database: its write-ahead log is empty, rpmdb.sqlite is whole.
  cp "$db/rpmdb.sqlite" "$RCTX/rootfs/var/lib/rpm/rpmdb.sqlite"
  cp "$SRC/rpm/os-release" "$RCTX/rootfs/etc/os-release"
  cp "$SRC/rpm/Dockerfile" "$RCTX/Dockerfile"
  printf '%s\n' "$specs_hash" >"$STATE/rpm.tsv.id"
fi
# the context is only remade when rpm/ changes (rpm writes timestamps into
# the database, so a remade one has other bytes and means a rebuild).
build dsp-sbom/rpm "$RCTX"
say "done"
