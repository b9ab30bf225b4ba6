# shellcheck shell=sh
# The body of the Docker CLI plugin launcher. install.sh writes the launcher
# as a header that sets launch_metadata, launch_node, launch_flags and
# launch_main, then this text; scripts/bench.sh runs this file with `sh` and
# the same variables in the environment, so it measures what users run.
if [ "$1" = docker-cli-plugin-metadata ]; then
  printf '%s\n' "$launch_metadata"
  exit 0
fi
# The docker CLI's hook call after a failed command: nothing to say, so no node start.
if [ "$2" = docker-cli-plugin-hooks ]; then
  case "$3" in *'"CommandError":"'[!\"]*) exit 0 ;; esac
fi
# Node 20 parses the whole NODE_EXTRA_CA_CERTS file as it starts (~40 ms for a
# system bundle), though only `db` downloads over Node's default CAs. The other
# commands get the path as DSP_EXTRA_CA_CERTS instead: a TLS daemon endpoint
# without its own CA adds those certificates to Node's (src/plugin/extra-ca.ts).
if [ -n "${NODE_EXTRA_CA_CERTS:-}" ]; then
  case " $* " in
    *" db "*) ;;
    *)
      DSP_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS
      export DSP_EXTRA_CA_CERTS
      unset NODE_EXTRA_CA_CERTS
      ;;
  esac
fi
node=$(command -v node 2>/dev/null) || node=$launch_node
# shellcheck disable=SC2086 # launch_flags is a list of flags
exec "$node" $launch_flags "$launch_main" "$@"
