#!/usr/bin/env bash
# Benchmark of `audit` and its per-layer cache: N images sharing a Debian base
# on a private daemon of their own (so audit sees only them). Prints the first
# audit (cold cache), the second (warm: nothing new, so no export), the sum of
# `docker save IMG > /dev/null` over the same images (the floor of reading them
# all once each), and how many exports each audit made (the daemon's `save`
# events).
#
#   scripts/bench-audit.sh [--images N]     (default 10)
#
# Needs root (a private dockerd), node, a docker client, and on the first run
# debootstrap with access to Debian's mirror (shared with scripts/bench.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=10
while [ $# -gt 0 ]; do
  case "$1" in
    --images) COUNT=$2; shift 2 ;;
    *) echo "usage: $0 [--images N]" >&2; exit 2 ;;
  esac
done

STATE=${DSP_BENCH_DIR:-/tmp/dsp-bench}
mkdir -p "$STATE"
DOCKER=${DSP_DOCKER_CLIENT:-$(command -v /usr/bin/docker || command -v docker)}
export DSP_TEST_DAEMON_INSTANCE=benchaudit DSP_TEST_DAEMON_DIR='' DSP_TEST_DAEMON_FLAGS=''
bash scripts/test-daemon.sh start >&2
eval "$(bash scripts/test-daemon.sh env)"
export DOCKER_HOST
[ -f dist/src/main.js ] || npm run build >&2
# As users run it: through the plugin launcher's body (see scripts/bench.sh).
NODE_FLAGS=$(node -p 'require("./package.json").config.nodeFlags || ""')
LAUNCH=(env launch_main=dist/src/main.js "launch_flags=$NODE_FLAGS" "launch_node=$(command -v node)" sh scripts/plugin-launcher.sh)

DSP_DOCKER_CLIENT=$DOCKER bash scripts/debian-base.sh

images=()
for i in $(seq 1 "$COUNT"); do
  tag=dsp-bench-audit/app$i:1
  if ! "$DOCKER" image inspect "$tag" >/dev/null 2>&1; then
    ctx=$(mktemp -d)
    printf 'FROM dsp-bench/debian:bookworm\nRUN mkdir -p /app && head -c 1048576 /dev/urandom > /app/blob%s\nEXPOSE %s\nCMD ["/bin/true"]\n' "$i" "$((8000 + i))" >"$ctx/Dockerfile"
    DOCKER_BUILDKIT=0 "$DOCKER" build --network=none -q -t "$tag" "$ctx" >/dev/null
    rm -rf "$ctx"
  fi
  images+=("$tag")
done

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
saves_between() { # saves_between SINCE UNTIL: the daemon's save events in that window
  "$DOCKER" events --since "$1" --until "$2" --filter type=image --filter event=save --format '{{.ID}}' | wc -l
}

floor_start=$(now)
for tag in dsp-bench/debian:bookworm "${images[@]}"; do "$DOCKER" save "$tag" >/dev/null; done
floor_end=$(now)

cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
audit() { DSP_CACHE_DIR=$cache "${LAUNCH[@]}" audit --format json >/dev/null 2>"$STATE/audit.err" || [ $? = 1 ]; }
first_start=$(now); audit; first_end=$(now)
second_start=$(now); audit; second_end=$(now)
sleep 1 # the events of the last second must be in the daemon's log before asking

printf '%-34s %8s %8s\n' "run ($((COUNT + 1)) images, one base)" seconds exports

printf '%-34s %8s %8s\n' "floor: docker save each" "$(elapsed "$floor_start" "$floor_end")" "$(saves_between "$floor_start" "$floor_end")"
printf '%-34s %8s %8s\n' "audit, cold cache" "$(elapsed "$first_start" "$first_end")" "$(saves_between "$first_start" "$first_end")"
printf '%-34s %8s %8s\n' "audit again, nothing new" "$(elapsed "$second_start" "$second_end")" "$(saves_between "$second_start" "$second_end")"
printf 'cache on disk: %s\n' "$(du -sh "$cache" | cut -f1)"
