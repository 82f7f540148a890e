#!/usr/bin/env bash
# Engine overhead per release on a warm worker and the embedded server: median wall time minus the time spent
# inside activities (as they measure it), against the 300 ms target; plus per-stage dispatch latency.
# Usage: bench/overhead.sh [RUNS]   (default 20, after 5 warm-up releases)
source "$(dirname "$0")/common.sh"
exec java -Dlogback.configurationFile="$root/bench/logback.xml" -cp "$bench_classpath" dev.durablerelease.bench.OverheadBench "${1:-20}"
