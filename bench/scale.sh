#!/usr/bin/env bash
# Many releases at once: RELEASES (default 50) releases, each its own small repository, started together against one
# worker JVM with a capped heap (default 512m) serving every queue, the server started by the bench JVM.
# Prints completion time, releases per minute, peak heap, events per history (target <= 150) and failures.
# Usage: bench/scale.sh [--dev-server] [RELEASES] [HEAP] ["WORKER OPTIONS"], e.g. bench/scale.sh 50 512m "--activity-slots 20"
#   --dev-server: against the Temporal CLI's dev server (the real server, SQLite) instead of Temporal's Java test server
source "$(dirname "$0")/common.sh"
server=java
if [[ "${1:-}" == --dev-server ]]; then server=dev; shift; fi
exec java -Dlogback.configurationFile="$root/bench/logback.xml" -Dbench.server="$server" -cp "$bench_classpath" \
  dev.durablerelease.bench.ScaleBench "${1:-50}" "${2:-512m}" ${3:+"$3"}
