#!/usr/bin/env bash
# Engine overhead per release on a warm worker beside the server release run starts: median wall time minus the time
# spent inside activities (as they measure it), against the 300 ms target; plus per-stage dispatch latency.
# Usage: bench/overhead.sh [--dev-server] [RUNS]   (default 20, after 5 warm-up releases)
#   --dev-server: against the Temporal CLI's dev server (the real server, SQLite) instead of Temporal's Java test server
source "$(dirname "$0")/common.sh"
server=java
if [[ "${1:-}" == --dev-server ]]; then server=dev; shift; fi
exec java -Dlogback.configurationFile="$root/bench/logback.xml" -Dbench.server="$server" -cp "$bench_classpath" \
  dev.durablerelease.bench.OverheadBench "${1:-20}"
