#!/usr/bin/env bash
# Benchmark: our full check against the floor (`docker save IMG > /dev/null`
# on the same daemon), side by side, alternating, medians of N runs, and our
# peak RSS; and the same check with only the 14 Spectra Assure policies, which
# is what the content policies (secrets, accounts, …) cost on top; and the
# bill of materials (`sbom --format cyclonedx`). Builds (once) a >= 1 GiB, >= 50 000-file image locally: a
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

# The 14 Spectra Assure policies alone, to show what the content policies (DSP10xxx) cost.
SQ14=SQ40101,SQ40102,SQ40103,SQ40104,SQ40105,SQ40106,SQ40107,SQ40108,SQ41101,SQ41102,SQ41103,SQ41104,SQ41105,SQ41106

# One timed run of a command (never from the layer cache: every run reads the export); prints "seconds rss_kb".
timed() {
  local rc=0
  # shellcheck disable=SC2086 # NODE_FLAGS is a list of flags
  $TIME -o "$STATE/time.txt" -f '%e %M' node $NODE_FLAGS dist/src/main.js "$@" "$IMAGE" >"$STATE/last.json" 2>"$STATE/last.err" || rc=$?
  if [ "$rc" -gt 1 ]; then echo "bench: $1 failed (exit $rc): $(tail -1 "$STATE/last.err")" >&2; exit 1; fi
  tail -1 "$STATE/time.txt"
}
timed_check() { timed check --no-cache --format json "$@"; }

floor_times=(); all_times=(); all_rss=(); sq_times=(); sq_rss=(); sbom_times=(); sbom_rss=()
echo "bench: $RUNS rounds on $IMAGE (floor, all policies, the 14 only, sbom; alternating)…" >&2
for i in $(seq 1 "$RUNS"); do
  f=$({ $TIME -f '%e' "$DOCKER" save "$IMAGE" >/dev/null; } 2>&1 | tail -1)
  a=$(timed_check)
  q=$(timed_check --policy "$SQ14")
  b=$(timed sbom --no-cache --format cyclonedx)
  floor_times+=("$f"); all_times+=("${a% *}"); all_rss+=("${a#* }"); sq_times+=("${q% *}"); sq_rss+=("${q#* }"); sbom_times+=("${b% *}"); sbom_rss+=("${b#* }")
  echo "  run $i: floor ${f}s  all ${a% *}s (rss $(( ${a#* } / 1024 )) MiB)  14 only ${q% *}s (rss $(( ${q#* } / 1024 )) MiB)  sbom ${b% *}s (rss $(( ${b#* } / 1024 )) MiB)" >&2
done
floor=$(printf '%s\n' "${floor_times[@]}" | median)
all=$(printf '%s\n' "${all_times[@]}" | median)
sq=$(printf '%s\n' "${sq_times[@]}" | median)
sbom=$(printf '%s\n' "${sbom_times[@]}" | median)
sbom_peak=$(printf '%s\n' "${sbom_rss[@]}" | sort -n | tail -1)
all_peak=$(printf '%s\n' "${all_rss[@]}" | sort -n | tail -1)
sq_peak=$(printf '%s\n' "${sq_rss[@]}" | sort -n | tail -1)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
printf '\n%-18s %8s %8s %8s %7s %8s %7s %8s %7s %8s %8s %8s\n' image size floor_s all_s ratio 14_s ratio sbom_s ratio rss_all rss_14 rss_sbom
printf '%-18s %7.0fM %8s %8s %7s %8s %7s %8s %7s %7dM %7dM %7dM\n' "$IMAGE" "$(awk -v s="$size_bytes" 'BEGIN{print s/1048576}')" \
  "$floor" "$all" "$(ratio "$all" "$floor")" "$sq" "$(ratio "$sq" "$floor")" "$sbom" "$(ratio "$sbom" "$floor")" \
  $((all_peak / 1024)) $((sq_peak / 1024)) $((sbom_peak / 1024))
echo "(medians of $RUNS rounds, each: docker save > /dev/null, check with every policy, check --policy <the 14>, sbom --format cyclonedx; --no-cache; peak RSS is the maximum)"
