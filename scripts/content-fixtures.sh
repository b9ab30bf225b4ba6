#!/usr/bin/env bash
# Builds the content policies' fixture images (DSP10xxx: secrets, accounts,
# remote logins, hygiene) in the daemon DOCKER_HOST names:
#
#   dsp-bench/debian:bookworm          debootstrap --variant=minbase (scripts/debian-base.sh)
#   dsp-content/planted:classic        scripts/content-fixtures/planted/Dockerfile, classic builder
#   dsp-content/planted:buildkit       the same with BuildKit
#
# Keys and tokens are generated once per state directory (never committed);
# ${state}/secrets.txt lists every planted secret value, one per line, so the
# tests can prove no output prints one whole. Idempotent like fixtures.sh: an
# image whose dsp.fixture.hash label matches its inputs is not rebuilt.
#
# Environment: DOCKER_HOST, DSP_TEST_DAEMON_DIR (default /tmp/dsp-test-daemon),
# DSP_DOCKER_CLI (default /usr/bin/docker), DSP_BENCH_DIR (debootstrap tar cache).
set -euo pipefail
umask 022

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC="$HERE/content-fixtures"
STATE=${DSP_TEST_DAEMON_DIR:-/tmp/dsp-test-daemon}/content-fixtures
DOCKER=${DSP_DOCKER_CLI:-/usr/bin/docker}
[ -x "$DOCKER" ] || DOCKER=$(command -v docker)
VERSION=1

say() { printf 'content-fixtures: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

DSP_DOCKER_CLIENT=$DOCKER bash "$HERE/debian-base.sh" || die "no Debian base image (debootstrap failed; see ${DSP_BENCH_DIR:-/tmp/dsp-bench}/debootstrap.log)"

mkdir -p "$STATE"
exec 8>"$STATE/.lock"
flock -w 600 8 || die "another content-fixtures.sh holds $STATE/.lock"

rand() { # rand N CHARSET
  LC_ALL=C tr -dc "$2" </dev/urandom | head -c "$1"
}

# --- generated secrets (once per state directory) -----------------------------
GEN="$STATE/gen"
if [ ! -f "$GEN/done" ]; then
  rm -rf "$GEN"
  mkdir -p "$GEN/keys"
  ssh-keygen -q -t rsa -b 2048 -N '' -C 'planted@fixture' -f "$GEN/keys/id_rsa"
  ssh-keygen -q -t ed25519 -N '' -C 'root@fixture' -f "$GEN/keys/ssh_host_ed25519_key"
  {
    echo "AWS_KEY_ID=AKIA$(rand 16 'A-Z2-7')"
    echo "AWS_SECRET=$(rand 40 'A-Za-z0-9')"
    echo "NPM_RC_TOKEN=npm_$(rand 36 'A-Za-z0-9')"
    echo "NPM_ARG_TOKEN=npm_$(rand 36 'A-Za-z0-9')"
    echo "GITHUB_TOKEN=ghp_$(rand 36 'A-Za-z0-9')"
    echo "DB_PASSWORD=$(rand 20 'A-Za-z0-9')"
    echo "SECRET_KEY=$(rand 32 'a-f0-9')"
    echo "REGISTRY_PASSWORD=$(rand 16 'A-Za-z0-9')"
  } >"$GEN/values"
  touch "$GEN/done"
fi
# shellcheck disable=SC1091
. "$GEN/values"

# --- the build context ---------------------------------------------------------
CTX="$STATE/ctx/planted"
rm -rf "$CTX"
mkdir -p "$CTX"
cp -a "$SRC/planted/." "$CTX/"
R="$CTX/rootfs"
mkdir -p "$R/root/.ssh" "$R/root/.aws" "$R/root/.docker" "$R/etc/ssh/sshd_config.d" "$R/usr/sbin" "$R/usr/bin" \
  "$R/srv/app/.git/objects" "$R/srv/app/.git/refs/heads"
cp "$GEN/keys/id_rsa" "$R/root/.ssh/id_rsa"
cp "$GEN/keys/id_rsa.pub" "$R/root/.ssh/authorized_keys"
cp "$GEN/keys/ssh_host_ed25519_key" "$R/etc/ssh/ssh_host_ed25519_key"
cp "$GEN/keys/ssh_host_ed25519_key.pub" "$R/etc/ssh/ssh_host_ed25519_key.pub"
chmod 0700 "$R/root/.ssh"
chmod 0600 "$R/root/.ssh/id_rsa" "$R/etc/ssh/ssh_host_ed25519_key"
printf 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\nKbdInteractiveAuthentication no\nUsePAM yes\n' >"$R/etc/ssh/sshd_config"
printf '# planted\nPasswordAuthentication yes\n' >"$R/etc/ssh/sshd_config.d/10-passwords.conf"
printf '#!/bin/sh\n# stands in for OpenSSH sshd (no network during fixture builds)\nexec sleep infinity\n' >"$R/usr/sbin/sshd"
printf '#!/bin/sh\n# stands in for sudo\nexec "$@"\n' >"$R/usr/bin/sudo"
chmod 0755 "$R/usr/sbin/sshd" "$R/usr/bin/sudo"
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$AWS_KEY_ID" "$AWS_SECRET" >"$R/root/.aws/credentials"
printf '//registry.npmjs.org/:_authToken=%s\n' "$NPM_RC_TOKEN" >"$R/root/.npmrc"
printf '{\n  "auths": {\n    "registry.example.com": { "auth": "%s" }\n  }\n}\n' "$(printf 'deploy:%s' "$REGISTRY_PASSWORD" | base64 -w0)" >"$R/root/.docker/config.json"
printf '# settings\nDATABASE_URL=postgres://app:%s@db:5432/app\nSECRET_KEY=%s\nDEBUG=false\n' "$DB_PASSWORD" "$SECRET_KEY" >"$R/srv/app/.env"
printf "'use strict';\n// deploy settings\nmodule.exports = {\n  repo: 'example/app',\n  githubToken: '%s',\n};\n" "$GITHUB_TOKEN" >"$R/srv/app/config.js"
printf '{"items": []}\n' >"$R/srv/app/data.json"
printf 'ref: refs/heads/main\n' >"$R/srv/app/.git/HEAD"
printf '[core]\n\trepositoryformatversion = 0\n' >"$R/srv/app/.git/config"
# Generated once, like the keys: fresh random bytes would change the context and rebuild the images on every run.
[ -f "$GEN/keys/keystore.p12" ] || head -c 2048 /dev/urandom >"$GEN/keys/keystore.p12"
cp "$GEN/keys/keystore.p12" "$R/srv/app/keystore.p12"

# Every planted value a report must never print whole.
{
  for v in "$AWS_KEY_ID" "$AWS_SECRET" "$NPM_RC_TOKEN" "$NPM_ARG_TOKEN" "$GITHUB_TOKEN" "$DB_PASSWORD" "$SECRET_KEY" "$REGISTRY_PASSWORD"; do echo "$v"; done
  echo 'Zq3vG7wR8tLk2NpX5cYb1HsD9fJm4TuQe6WiAoKx'
  echo 'glpat-Rk7Xq2Lm9Vt4Nw8Pz3Yc'
  sed -n '2p' "$GEN/keys/id_rsa"
} >"$STATE/secrets.txt.tmp"
mv "$STATE/secrets.txt.tmp" "$STATE/secrets.txt"

# --- builds ---------------------------------------------------------------------
# shellcheck source=scripts/fixture-lib.sh
. "$HERE/fixture-lib.sh"
base_id=$("$DOCKER" image inspect --format '{{.Id}}' dsp-bench/debian:bookworm)
for builder in classic buildkit; do
  tag="dsp-content/planted:$builder"
  hash=$({
    echo "v$VERSION $builder $base_id $NPM_ARG_TOKEN"
    tree_digest "$CTX"
  } | sha256sum | cut -d' ' -f1)
  if [ "$(fixture_label "$tag")" = "$hash" ]; then
    say "reuse  $tag"
    continue
  fi
  say "build  $tag"
  buildkit=0
  [ "$builder" = buildkit ] && buildkit=1
  if ! DOCKER_BUILDKIT=$buildkit "$DOCKER" build --network=none --label "$FIXTURE_HASH_LABEL=$hash" \
    --build-arg "NPM_TOKEN=$NPM_ARG_TOKEN" -t "$tag" "$CTX" </dev/null >"$STATE/$builder.log" 2>&1; then
    tail -n 30 "$STATE/$builder.log" >&2
    die "building $tag failed"
  fi
done
say "done"
