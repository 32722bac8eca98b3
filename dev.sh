#!/usr/bin/env bash
# HFS developer entry point: installs what is missing, builds, then runs HFS or the tests.
#
#   ./dev.sh run [hfs run options]   set up, build, and run the standard example
#   ./dev.sh test                    set up, build, and run the whole test suite
#   ./dev.sh build                   set up and build only
#
# Set-up installs Debian packages with apt-get (as root, or through sudo) only when some
# are missing, so a second call installs nothing. The build goes to ./build.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  g++ clang cmake ninja-build pkg-config
  libcurl4-openssl-dev nlohmann-json3-dev libyaml-cpp-dev libsqlite3-dev libmariadb-dev
  libspdlog-dev libfmt-dev libcli11-dev libexpected-dev libgtest-dev libgmock-dev
  libbenchmark-dev libcpp-httplib-dev
)
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
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
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
