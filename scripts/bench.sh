#!/usr/bin/env bash
# Benchmark: our full check against the floor (`docker save IMG > /dev/null`
# on the same daemon), side by side, alternating, medians of N runs, and our
# peak RSS. Builds (once) a >= 1 GiB, >= 50 000-file image locally: a
# debootstrap'ed Debian bookworm minbase plus generated files and blobs.
#
#   scripts/bench.sh [--runs N] [--image REF]
#
# Uses DOCKER_HOST when set; otherwise starts the private test daemon
# (scripts/test-daemon.sh). Needs: node, /usr/bin/time (GNU time), a docker
# client, and (first run) debootstrap with access to Debian's mirror.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=5
IMAGE=dsp-bench/big:2
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --image) IMAGE=$2; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--image REF]" >&2; exit 2 ;;
  esac
done

STATE=${DSP_BENCH_DIR:-/tmp/dsp-bench}
mkdir -p "$STATE"
DOCKER=${DSP_DOCKER_CLIENT:-$(command -v /usr/bin/docker || command -v docker)}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 2; }

if [ -z "${DOCKER_HOST:-}" ]; then
  bash scripts/test-daemon.sh start >&2
  eval "$(bash scripts/test-daemon.sh env)"
fi
export DOCKER_HOST

[ -f dist/src/main.js ] || npm run build >&2
# Run the check as the installed launcher does: with the Node flags from package.json.
NODE_FLAGS=$(node -p 'require("./package.json").config.nodeFlags || ""')

if [ "$IMAGE" = dsp-bench/big:2 ] && ! "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  DSP_DOCKER_CLIENT=$DOCKER bash scripts/debian-base.sh
  echo "bench: building $IMAGE (once)…" >&2
  ctx=$(mktemp -d)
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM dsp-bench/debian:bookworm
# 50 000 small files in 500 directories
RUN for d in $(seq 1 500); do mkdir -p /data/many/$d; for f in $(seq 1 100); do echo "file $d $f $(date +%N)" > /data/many/$d/$f.txt; done; done
# 7 x 128 MiB of incompressible data
RUN mkdir -p /data/blobs && for i in 1 2 3 4 5 6 7; do head -c 134217728 /dev/urandom > /data/blobs/blob$i; done
RUN chmod u+s /data/many/1/1.txt && useradd -u 1000 app
USER app
CMD ["sleep", "infinity"]
DOCKERFILE
  DOCKER_BUILDKIT=0 "$DOCKER" build --network=none -q -t "$IMAGE" "$ctx" >&2
  rm -rf "$ctx"
fi

size_bytes=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

floor_times=(); our_times=(); our_rss=()
echo "bench: $RUNS paired runs on $IMAGE…" >&2
for i in $(seq 1 "$RUNS"); do
  f=$({ $TIME -f '%e' "$DOCKER" save "$IMAGE" >/dev/null; } 2>&1 | tail -1)
  rc=0
  $TIME -o "$STATE/time.txt" -f '%e %M' node $NODE_FLAGS dist/src/main.js check --format json "$IMAGE" >"$STATE/last.json" 2>"$STATE/last.err" || rc=$?
  if [ "$rc" -gt 1 ]; then echo "bench: the check failed (exit $rc): $(tail -1 "$STATE/last.err")" >&2; exit 1; fi
  o=$(tail -1 "$STATE/time.txt")
  floor_times+=("$f"); our_times+=("${o% *}"); our_rss+=("${o#* }")
  echo "  run $i: floor ${f}s  ours ${o% *}s  rss $(( ${o#* } / 1024 )) MiB" >&2
done
floor=$(printf '%s\n' "${floor_times[@]}" | median)
ours=$(printf '%s\n' "${our_times[@]}" | median)
rss=$(printf '%s\n' "${our_rss[@]}" | sort -n | tail -1)
ratio=$(awk -v a="$ours" -v b="$floor" 'BEGIN { printf "%.2f", a / b }')
printf '\n%-18s %10s %9s %9s %7s %14s\n' image size floor_s ours_s ratio peak_rss_MiB
printf '%-18s %9.0fM %9s %9s %7s %14d\n' "$IMAGE" "$(awk -v s="$size_bytes" 'BEGIN{print s/1048576}')" "$floor" "$ours" "$ratio" $((rss / 1024))
echo "(medians of $RUNS paired runs, alternating floor and check; peak RSS is the maximum)"
