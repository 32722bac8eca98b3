#!/usr/bin/env bash
# HFS developer entry point: installs what is missing, builds, then runs HFS or the tests.
#
#   ./dev.sh run [hfs run options]   set up, build, and run the standard example
#   ./dev.sh test                    set up, build, and run the whole test suite
#   ./dev.sh build                   set up and build only
#
# Set-up installs Debian packages with apt-get (as root, or through sudo) only when some
# are missing, so a second call installs nothing; then the external validators' npm tools
# (esbuild, playwright-core, axe-core, react, react-dom, vue, svelte; pinned by
# tools/validators/package-lock.json) with `npm ci`, only when tools/validators/node_modules
# is missing or the lockfile changed. The build goes to ./build.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  g++ clang cmake ninja-build pkg-config
  libcurl4-openssl-dev nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev libmariadb-dev
  libspdlog-dev libfmt-dev libcli11-dev libexpected-dev libgtest-dev libgmock-dev
  libbenchmark-dev libcpp-httplib-dev
)
# The external validators (headless rendering, npm for their tools), each installed only
# when its command is missing (node and npm may come from another Node.js distribution).
VALIDATOR_COMMANDS=(chromium:chromium node:nodejs npm:npm)
# Only the tests need these: a private MariaDB server for the MySQL/TiDB store tests.
TEST_PACKAGES=(mariadb-server)
BUILD_DIR=${HFS_BUILD_DIR:-build}
JOBS=${HFS_JOBS:-2}

log() { printf '==> %s\n' "$*" >&2; }

# setup [extra packages...]
setup() {
  local missing=()
  for package in "${PACKAGES[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' ||
      missing+=("$package")
  done
  for entry in "${VALIDATOR_COMMANDS[@]}"; do
    command -v "${entry%%:*}" >/dev/null || missing+=("${entry#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      "${missing[@]}" >/dev/null
  fi
  setup_validators
}

# The validators' npm tools, from the lockfile; again only when it changed.
setup_validators() {
  local dir=tools/validators stamp=tools/validators/node_modules/.hfs-lockfile.sha256
  local sum
  sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && return 0
  log "installing the validators' npm tools (npm ci --prefix $dir)"
  npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error >/dev/null
  echo "$sum" >"$stamp"
}

build() {
  log "building in $BUILD_DIR"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE="${HFS_BUILD_TYPE:-RelWithDebInfo}" \
    -DHFS_WERROR="${HFS_WERROR:-OFF}" ${HFS_CMAKE_ARGS:-} >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS"
}

command=${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  run)
    setup && build
    # The standard example unless a config is given; the example request unless one is.
    has_config=0 has_request=0
    for arg in "$@"; do
      case "$arg" in
        -c|--config|--config=*) has_config=1 ;;
        -r|--request|--request=*) has_request=1 ;;
      esac
    done
    [ $has_config -eq 1 ] || set -- -c config/examples/standard.yaml "$@"
    [ $has_request -eq 1 ] ||
      set -- "$@" -r "a pricing page with three tiers, a feature comparison and an FAQ"
    exec "$BUILD_DIR/src/hfs/app/hfs" run "$@"
    ;;
  test)
    setup "${TEST_PACKAGES[@]}" && build
    tools/check_layers.sh
    cd "$BUILD_DIR"
    exec ctest --output-on-failure -j "$JOBS" ${HFS_CTEST_ARGS:-}
    ;;
  build)
    setup && build
    ;;
  *)
    echo "usage: ./dev.sh run [hfs run options] | ./dev.sh test | ./dev.sh build" >&2
    exit 2
    ;;
esac
