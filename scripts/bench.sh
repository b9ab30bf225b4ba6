#!/usr/bin/env bash
# Benchmark: one table of how `check` compares with the floor (`docker save
# IMG > /dev/null` on the same daemon, run side by side) and with the peer we
# can run here, snyk-docker-plugin (npm; the engine of `snyk container test`).
# Per image, medians of N alternating rounds:
#   floor_s    docker save IMG > /dev/null
#   ours_s     check --no-cache (every default policy, every layer read)
#   rss        our peak RSS over those rounds (the maximum)
#   quick_s    check --quick --no-cache (a container's merged filesystem
#              instead of the layers: no per-layer detail), and quick_s / floor_s
#   cached_s   re-check of the unchanged image (stored result, no export),
#              table output as a user sees it
#   cfg_s      config-only check (--no-layers) of a new build of the image, as
#              after `docker build`: its result not stored, the other local
#              images already known to the cache from earlier checks
#   cfg0_s     the same with nothing cached (--no-layers --no-cache): the first
#              check on a machine, which inspects every local image no larger
#              than this one to find its base
#   top_s      check of a rebuild that changed only its top layer (the rest
#              cached): the export is read until the new layer is in, then closed
#   peer_s     snyk-docker-plugin's scan, its peak RSS, peer_s / ours_s and
#              peer_s / quick_s (the peer reports no layers either)
# Builds its images once, locally: dsp-bench/big:2 (Debian bookworm minbase
# plus 50 000 small files and 7 x 128 MiB, about 1.1 GB) and dsp-bench/huge:1
# (that plus 24 x 128 MiB, about 4.3 GB).
#
#   scripts/bench.sh [--runs N] [--peer-runs N] [--images "REF …"] [--no-peer]
#
# Uses DOCKER_HOST when set; otherwise starts the private test daemon
# (scripts/test-daemon.sh). Needs: node, GNU time (/usr/bin/time), a docker
# client, npm access (the peer, once) and, the first time, debootstrap with
# access to Debian's mirror.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=5
PEER_RUNS=
IMAGES="dsp-bench/big:2 dsp-bench/huge:1"
PEER=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --peer-runs) PEER_RUNS=$2; shift 2 ;;
    --images) IMAGES=$2; shift 2 ;;
    --no-peer) PEER=0; shift ;;
    *) echo "usage: $0 [--runs N] [--peer-runs N] [--images \"REF …\"] [--no-peer]" >&2; exit 2 ;;
  esac
done
PEER_RUNS=${PEER_RUNS:-$RUNS}

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
# Our check runs as users run it: through the plugin launcher's body, which
# install.sh puts in the launcher, with the Node flags from package.json.
NODE_FLAGS=$(node -p 'require("./package.json").config.nodeFlags || ""')
LAUNCH=(env launch_main=dist/src/main.js "launch_flags=$NODE_FLAGS" "launch_node=$(command -v node)" sh scripts/plugin-launcher.sh)

build() { # REF, Dockerfile on stdin
  local ctx
  ctx=$(mktemp -d)
  cat >"$ctx/Dockerfile"
  echo "bench: building $1 (once)…" >&2
  DOCKER_BUILDKIT=0 "$DOCKER" build --network=none -q -t "$1" "$ctx" >&2
  rm -rf "$ctx"
}
have() { "$DOCKER" image inspect "$1" >/dev/null 2>&1; }

if [[ " $IMAGES " == *" dsp-bench/big:2 "* || " $IMAGES " == *" dsp-bench/huge:1 "* ]] && ! have dsp-bench/big:2; then
  DSP_DOCKER_CLIENT=$DOCKER bash scripts/debian-base.sh
  build dsp-bench/big:2 <<'DOCKERFILE'
FROM dsp-bench/debian:bookworm
# 50 000 small files in 500 directories
RUN for d in $(seq 1 500); do mkdir -p /data/many/$d; for f in $(seq 1 100); do echo "file $d $f $(date +%N)" > /data/many/$d/$f.txt; done; done
# 7 x 128 MiB of incompressible data
RUN mkdir -p /data/blobs && for i in 1 2 3 4 5 6 7; do head -c 134217728 /dev/urandom > /data/blobs/blob$i; done
RUN chmod u+s /data/many/1/1.txt && useradd -u 1000 app
USER app
CMD ["sleep", "infinity"]
DOCKERFILE
fi
if [[ " $IMAGES " == *" dsp-bench/huge:1 "* ]] && ! have dsp-bench/huge:1; then
  build dsp-bench/huge:1 <<'DOCKERFILE'
FROM dsp-bench/big:2
USER root
# 24 x 128 MiB of incompressible data on top of the 1 GiB image: about 4.2 GB in all
RUN mkdir -p /data/huge && for i in $(seq 1 24); do head -c 134217728 /dev/urandom > /data/huge/blob$i; done
USER app
DOCKERFILE
fi

# The peer, once, outside the project (it is not our dependency). Its shescape
# range names a release the registry lacks: pinned to the newest 2.x there.
PEER_DIR=$STATE/peer
if [ "$PEER" = 1 ] && [ ! -f "$PEER_DIR/node_modules/snyk-docker-plugin/package.json" ]; then
  echo "bench: installing snyk-docker-plugin 9.20.2 into $PEER_DIR (once)…" >&2
  mkdir -p "$PEER_DIR"
  cat >"$PEER_DIR/package.json" <<'JSON'
{ "name": "dsp-bench-peer", "private": true, "dependencies": { "snyk-docker-plugin": "9.20.2" }, "overrides": { "shescape": "2.1.12" } }
JSON
  (cd "$PEER_DIR" && npm install --no-audit --no-fund --ignore-scripts >&2)
fi
cat >"$PEER_DIR/scan.cjs" 2>/dev/null <<'JS' || true
// snyk-docker-plugin's scan of a local image, as `snyk container test IMG` runs it.
const { scan } = require('snyk-docker-plugin');
scan({ path: process.argv[2] }).then(
  (r) => console.log(`${r.scanResults.length} scan result(s)`),
  (e) => { console.error(String((e && e.message) || e)); process.exit(1); },
);
JS

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }
maxof() { sort -n | tail -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# One timed run; prints "seconds peak_rss_kb". Exit 1 (findings) is a result, not a failure.
timed() {
  local rc=0
  $TIME -o "$STATE/time.txt" -f '%e %M' "$@" >"$STATE/last.out" 2>"$STATE/last.err" || rc=$?
  if [ "$rc" -gt 1 ]; then echo "bench: $* failed (exit $rc): $(tail -1 "$STATE/last.err")" >&2; exit 1; fi
  tail -1 "$STATE/time.txt"
}
ours() { timed "${LAUNCH[@]}" "$@"; }
floor_run() { { $TIME -f '%e' "$DOCKER" save "$IMAGE" >/dev/null; } 2>&1 | tail -1; }
# Sub-second runs: wall time to the millisecond (GNU time rounds to 10 ms).
fine() { node -e '
  const { spawnSync } = require("node:child_process");
  const t = process.hrtime.bigint();
  const r = spawnSync(process.argv[1], process.argv.slice(2), { stdio: "ignore" });
  if (r.status > 1) process.exit(1);
  console.log((Number(process.hrtime.bigint() - t) / 1e9).toFixed(3));' "$@"; }

ROWS=()
for IMAGE in $IMAGES; do
  have "$IMAGE" || { echo "bench: no image $IMAGE" >&2; exit 2; }
  size=$("$DOCKER" image inspect -f '{{.Size}}' "$IMAGE")
  files_file=$STATE/files-$(echo "$IMAGE" | tr '/:' '__')
  if [ ! -s "$files_file" ]; then
    "$DOCKER" run --rm --network=none --user 0 --entrypoint find "$IMAGE" / -xdev | wc -l >"$files_file"
  fi
  files=$(cat "$files_file")
  cache=$STATE/cache-$(echo "$IMAGE" | tr '/:' '__')
  rm -rf "$cache"

  floor_t=(); ours_t=(); ours_rss=(); quick_t=(); quick_rss=(); top_t=(); peer_t=(); peer_rss=(); cached_t=(); cfg_t=(); cfg0_t=()
  echo "bench: $IMAGE ($((size / 1000000)) MB, $files files): $RUNS rounds of floor and ours (taking turns first), then --quick…" >&2
  for i in $(seq 1 "$RUNS"); do
    # The floor and our check take turns going first: each stages 1 GB on the
    # daemon's disk, and whichever follows the other meets that disk still busy.
    if (( i % 2 )); then
      f=$(floor_run); o=$(DSP_CACHE_DIR=$cache ours check --no-cache --format json "$IMAGE")
    else
      o=$(DSP_CACHE_DIR=$cache ours check --no-cache --format json "$IMAGE"); f=$(floor_run)
    fi
    q=$(DSP_CACHE_DIR=$cache ours check --quick --no-cache --format json "$IMAGE")
    floor_t+=("$f"); ours_t+=("${o% *}"); ours_rss+=("${o#* }"); quick_t+=("${q% *}"); quick_rss+=("${q#* }")
    echo "  round $i: floor ${f}s  ours ${o% *}s (peak RSS $(( ${o#* } / 1024 )) MiB)  --quick ${q% *}s ($(( ${q#* } / 1024 )) MiB)" >&2
  done

  # Warm the cache once (layers and result), then re-check the unchanged image.
  DSP_CACHE_DIR=$cache ours check "$IMAGE" >/dev/null
  for i in $(seq 1 "$RUNS"); do
    cached_t+=("$(DSP_CACHE_DIR=$cache fine "${LAUNCH[@]}" check "$IMAGE")")
    cfg0_t+=("$(DSP_CACHE_DIR=$cache fine "${LAUNCH[@]}" check --no-layers --no-cache "$IMAGE")")
  done
  echo "  re-check ${cached_t[*]} s; config-only with nothing cached ${cfg0_t[*]} s" >&2

  # A rebuild that changes only the top layer: a new child each round, its base
  # layers cached. Its config-only check first (cfg_s), then its full check.
  for i in $(seq 1 "$RUNS"); do
    child=dsp-bench/rebuilt:$i
    printf 'FROM %s\nUSER root\nRUN echo rebuilt-%s-%s > /rebuilt\n' "$IMAGE" "$i" "$(date +%s%N)" | build "$child" 2>/dev/null
    cfg_t+=("$(DSP_CACHE_DIR=$cache fine "${LAUNCH[@]}" check --no-layers "$child")")
    t=$(DSP_CACHE_DIR=$cache ours check --format json "$child")
    top_t+=("${t% *}")
    "$DOCKER" rmi -f "$child" >/dev/null
    echo "  rebuilt top layer, round $i: config-only ${cfg_t[-1]}s, full check ${t% *}s" >&2
  done

  if [ "$PEER" = 1 ]; then
    for i in $(seq 1 "$PEER_RUNS"); do
      p=$(timed node "$PEER_DIR/scan.cjs" "$IMAGE")
      peer_t+=("${p% *}"); peer_rss+=("${p#* }")
      echo "  peer round $i: ${p% *}s (peak RSS $(( ${p#* } / 1024 )) MiB)" >&2
    done
  fi

  floor=$(printf '%s\n' "${floor_t[@]}" | median)
  ours_s=$(printf '%s\n' "${ours_t[@]}" | median)
  rss=$(( $(printf '%s\n' "${ours_rss[@]}" | maxof) / 1024 ))
  quick=$(printf '%s\n' "${quick_t[@]}" | median)
  quick_mib=$(( $(printf '%s\n' "${quick_rss[@]}" | maxof) / 1024 ))
  cached=$(printf '%s\n' "${cached_t[@]}" | median)
  cfg=$(printf '%s\n' "${cfg_t[@]}" | median)
  cfg0=$(printf '%s\n' "${cfg0_t[@]}" | median)
  top=$(printf '%s\n' "${top_t[@]}" | median)
  if [ "$PEER" = 1 ]; then
    peer=$(printf '%s\n' "${peer_t[@]}" | median)
    peer_mib=$(( $(printf '%s\n' "${peer_rss[@]}" | maxof) / 1024 ))M
    peer_x=$(ratio "$peer" "$ours_s")x
    peer_q=$(ratio "$peer" "$quick")x
  else
    peer=-; peer_mib=-; peer_x=-; peer_q=-
  fi
  ROWS+=("$(printf '%-16s %6sM %6s %8s %7s %6s %5sM %8s %6s %5sM %9s %6s %7s %6s %7s %7s %8s %7s %8s' \
    "$IMAGE" "$((size / 1000000))" "$files" "$floor" "$ours_s" "$(ratio "$ours_s" "$floor")" "$rss" \
    "$quick" "$(ratio "$quick" "$floor")" "$quick_mib" \
    "$cached" "$cfg" "$cfg0" "$top" "$(ratio "$top" "$floor")" "$peer" "$peer_mib" "$peer_x" "$peer_q")")
  rm -rf "$cache"
done

echo
printf '%-16s %7s %6s %8s %7s %6s %6s %8s %6s %6s %9s %6s %7s %6s %7s %7s %8s %7s %8s\n' \
  image size files floor_s ours_s ratio rss quick_s q/fl q_rss cached_s cfg_s cfg0_s top_s top/fl peer_s peer_rss peer/us peer/qk
printf '%s\n' "${ROWS[@]}"
echo "(medians of $RUNS rounds, peer $PEER_RUNS; rss, q_rss: our peak over the rounds; cached_s, cfg_s, cfg0_s: wall to the ms; engine $("$DOCKER" version -f '{{.Server.Version}}' 2>/dev/null || echo '?'), $(nproc) cores, node $(node -v))"
