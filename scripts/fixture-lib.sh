# shellcheck shell=bash
# Sourced by the fixture scripts (fixtures.sh, content-fixtures.sh,
# sbom-fixtures.sh): how they tell that a fixture image is already built from
# the same inputs. Each build labels its image with a hash of those inputs.
# Needs DOCKER (the client) set by the caller.

FIXTURE_HASH_LABEL=dsp.fixture.hash

# fixture_label TAG: the image's input-hash label, '' when it has none or does not exist.
fixture_label() {
  "$DOCKER" image inspect --format "{{with .Config.Labels}}{{index . \"$FIXTURE_HASH_LABEL\"}}{{end}}" "$1" 2>/dev/null || true
}

# tree_digest DIR: every path below DIR with its type and mode, then every file's sha256:
# the same text for the same tree, whatever the file times.
tree_digest() {
  (cd "$1" && find . -printf '%P %y %m\n' | LC_ALL=C sort)
  (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}
