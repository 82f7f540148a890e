#!/usr/bin/env bash
# Many releases at once: RELEASES (default 50) releases, each its own small repository, started together against one
# worker JVM with a capped heap (default 512m) serving every queue, the embedded server in the bench JVM.
# Prints completion time, releases per minute, peak heap, events per history (target <= 150) and failures.
# Usage: bench/scale.sh [RELEASES] [HEAP] ["WORKER OPTIONS"], e.g. bench/scale.sh 50 512m "--activity-slots 20"
source "$(dirname "$0")/common.sh"
exec java -Dlogback.configurationFile="$root/bench/logback.xml" -cp "$bench_classpath" \
  dev.durablerelease.bench.ScaleBench "${1:-50}" "${2:-512m}" ${3:+"$3"}
