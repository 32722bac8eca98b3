#!/usr/bin/env bash
# Fails when a file under src/hfs/<module>/ includes "hfs/<other>/..." for a module that
# is not below it in the dependency order of ARCHITECTURE.md:
#   app -> config -> pipeline -> triad -> agent -> tiers -> llm -> keys -> store | net -> trace -> base
#   triad, pipeline -> spec, state, page;  spec, state, page -> base
# testing may include anything; nothing outside tests includes testing.
# Usage: tools/check_layers.sh [ROOT]   (ROOT defaults to this repository)
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"

declare -A allowed=(
  [base]=""
  [trace]="base"
  [net]="trace base"
  [store]="trace base"
  [keys]="store net trace base"
  [llm]="keys store net trace base"
  [tiers]="llm keys store net trace base"
  [agent]="tiers llm keys store net trace base"
  [spec]="base"
  [state]="base"
  [page]="base"
  [triad]="agent tiers llm keys store net trace base spec state page"
  [pipeline]="triad agent tiers llm keys store net trace base spec state page"
  [config]="pipeline triad agent tiers llm keys store net trace base spec state page"
  [app]="config pipeline triad agent tiers llm keys store net trace base spec state page"
)

status=0
for dir in src/hfs/*/; do
  module=$(basename "$dir")
  [ "$module" = testing ] && continue
  if [ -z "${allowed[$module]+set}" ]; then
    echo "check_layers: module '$module' is not in the layer table" >&2
    status=1
    continue
  fi
  while IFS=: read -r file line text; do
    target=$(sed -E 's/.*#include "hfs\/([a-z_]+)\/.*/\1/' <<<"$text")
    [ "$target" = "$module" ] && continue
    case "$file" in *_test.cc) [ "$target" = testing ] && continue ;; esac
    if [[ " ${allowed[$module]} " != *" $target "* ]]; then
      echo "check_layers: $file:$line: $module may not include hfs/$target" >&2
      status=1
    fi
  done < <(grep -rnE '^#include "hfs/[a-z_]+/' "$dir" || true)
done
[ $status -eq 0 ] && echo "check_layers: ok"
exit $status
