#!/usr/bin/env bash
# The generateSbom stage on one archive of REPO at REF (SPDX + CycloneDX, every file hashed with SHA-1 and SHA-256)
# against `git ls-files -z | xargs -0 sha256sum` over the same tree checked out: medians of alternating runs.
# Prints `sbom ratio: X.XX` (target <= 1.0).
# Usage: bench/sbom.sh REPO REF [RUNS]   (default 7 runs after one warm-up)
source "$(dirname "$0")/common.sh"
if [ $# -lt 2 ]; then
  echo "usage: bench/sbom.sh REPO REF [RUNS]" >&2
  exit 2
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -Dlogback.configurationFile="$root/bench/logback.xml" -cp "$bench_classpath" dev.durablerelease.bench.SbomBench \
  "$1" "$2" "$work" "${3:-7}"
