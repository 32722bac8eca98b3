#!/usr/bin/env bash
# tools/check_layers.sh passes on this repository and fails on a tree with an include
# that points up the layer order.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
"$repo/tools/check_layers.sh" "$repo" >/dev/null

tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
mkdir -p "$tree/src/hfs/base" "$tree/src/hfs/llm"
printf '#include "hfs/base/error.h"\n' >"$tree/src/hfs/llm/model.h"
"$repo/tools/check_layers.sh" "$tree" >/dev/null
printf '#include "hfs/llm/model.h"\n' >"$tree/src/hfs/base/clock.h"
if "$repo/tools/check_layers.sh" "$tree" 2>"$tree/err"; then
  echo "check_layers accepted base -> llm" >&2
  exit 1
fi
grep -q 'src/hfs/base/clock.h:1: base may not include hfs/llm' "$tree/err"
echo "check_layers_test: ok"
