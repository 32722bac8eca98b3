#!/usr/bin/env bash
# HFS developer entry point: installs what is missing, builds, then runs HFS or the tests.
#
#   ./dev.sh run [hfs run options]   set up, build, and run the standard example
#   ./dev.sh test                    set up, build, and run the whole test suite
#   ./dev.sh build                   set up and build only
#   ./dev.sh fuzz [TARGET] [RUNS]    build the fuzz targets (clang, libFuzzer) in ./build-fuzz
#                                    and run each, or TARGET, RUNS times (default 1000000)
#   ./dev.sh sanitize [SANITIZERS] [TEST...]
#                                    build the tests with clang and -fsanitize=SANITIZERS
#                                    (address,undefined, the default, in ./build-asan; thread
#                                    in ./build-tsan) and run the unit and integration tests,
#                                    or only the test binaries TEST (hfs_keys_test ...)
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
# Only the tests need these: a private MariaDB server for the MySQL/TiDB store tests, and
# openssl to make the throwaway certificates of its TLS tests.
TEST_PACKAGES=(mariadb-server openssl)
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

# fuzz [TARGET] [RUNS]: each fuzz/NAME_fuzz.cc (or TARGET) runs RUNS inputs, starting from a
# copy of fuzz/corpus/NAME, so the checked-in corpus does not grow; with HFS_FUZZ_MERGE=1
# the new inputs that add coverage are merged into it. Logs go to build-fuzz/logs/, a
# crashing input to build-fuzz/crashes/. See docs/fuzzing.md.
fuzz() {
  local target=all runs=1000000 dir=build-fuzz names=()
  if [ $# -gt 0 ] && ! [[ $1 =~ ^[0-9]+$ ]]; then target=$1; shift; fi
  [ $# -gt 0 ] && runs=$1
  [[ $runs =~ ^[0-9]+$ ]] || { echo "fuzz: RUNS must be a number, not '$runs'" >&2; exit 2; }
  if [ "$target" = all ]; then
    for source in fuzz/*_fuzz.cc; do names+=("$(basename "$source" _fuzz.cc)"); done
  elif [ -f "fuzz/${target}_fuzz.cc" ]; then
    names=("$target")
  else
    echo "fuzz: no target '$target' (fuzz/${target}_fuzz.cc)" >&2
    exit 2
  fi
  log "building ${names[*]/%/_fuzz} in $dir"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DHFS_FUZZ=ON -DHFS_BUILD_TESTS=OFF -DHFS_BUILD_EMULATOR=OFF \
    -DHFS_WERROR="${HFS_WERROR:-OFF}" ${HFS_CMAKE_ARGS:-} >/dev/null
  cmake --build "$dir" -j "$JOBS" --target "${names[@]/%/_fuzz}"
  local work
  work=$(mktemp -d)
  # shellcheck disable=SC2064  # $work is expanded now: it is local to this function
  trap "rm -rf '$work'" EXIT
  mkdir -p "$dir/logs" "$dir/crashes"
  for name in "${names[@]}"; do
    log "fuzzing $name: $runs runs"
    mkdir "$work/$name"
    cp fuzz/corpus/"$name"/* "$work/$name"/
    # HFS_FUZZ_SEED fixes libFuzzer's seed, so that a run can be repeated exactly.
    if ! "$dir/fuzz/${name}_fuzz" -runs="$runs" -timeout=25 ${HFS_FUZZ_SEED:+-seed=$HFS_FUZZ_SEED} \
      -artifact_prefix="$dir/crashes/$name-" "$work/$name" >"$dir/logs/$name.log" 2>&1; then
      tail -n 40 "$dir/logs/$name.log" >&2
      log "$name failed (whole log: $dir/logs/$name.log; input: $dir/crashes/$name-*)"
      exit 1
    fi
    log "$name: $(grep -E '^Done [0-9]+ runs' "$dir/logs/$name.log" || echo 'no summary')"
    if [ "${HFS_FUZZ_MERGE:-0}" = 1 ]; then
      "$dir/fuzz/${name}_fuzz" -merge=1 "fuzz/corpus/$name" "$work/$name" \
        >>"$dir/logs/$name.log" 2>&1
      log "$name: corpus now $(ls "fuzz/corpus/$name" | wc -l) inputs"
    fi
  done
}

# sanitize [SANITIZERS] [TEST...]: the tests built with clang and -fsanitize=SANITIZERS; all
# unit and integration tests through ctest, or only the given test binaries.
sanitize() {
  local sanitizers=address,undefined dir=build-asan
  if [ $# -gt 0 ]; then sanitizers=$1 && shift; fi
  [ "$sanitizers" = thread ] && dir=build-tsan
  log "building the tests with -fsanitize=$sanitizers in $dir"
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE="${HFS_BUILD_TYPE:-RelWithDebInfo}" \
    -DCMAKE_CXX_COMPILER=clang++ -DHFS_SANITIZE="$sanitizers" \
    -DHFS_WERROR="${HFS_WERROR:-OFF}" ${HFS_CMAKE_ARGS:-} >/dev/null
  export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
  if [ $# -eq 0 ]; then
    cmake --build "$dir" -j "$JOBS"
    cd "$dir"
    exec ctest --output-on-failure -j "$JOBS" -L 'unit|integration' ${HFS_CTEST_ARGS:-}
  fi
  cmake --build "$dir" -j "$JOBS" --target "$@"
  local failed=()
  for test in "$@"; do
    local binary
    binary=$(find "$dir" -name "$test" -type f -perm -u+x | head -n 1)
    log "running $binary"
    timeout 900 "$binary" --gtest_brief=1 || failed+=("$test")
  done
  [ ${#failed[@]} -eq 0 ] || { log "failed: ${failed[*]}"; exit 1; }
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
  fuzz)
    setup && fuzz "$@"
    ;;
  sanitize)
    setup "${TEST_PACKAGES[@]}" && sanitize "$@"
    ;;
  *)
    echo "usage: ./dev.sh run [hfs run options] | ./dev.sh test | ./dev.sh build" \
      "| ./dev.sh fuzz [TARGET] [RUNS] | ./dev.sh sanitize [SANITIZERS] [TEST...]" >&2
    exit 2
    ;;
esac
