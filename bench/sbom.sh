#!/usr/bin/env bash
# The generateSbom stage on one tar.gz of REPO at REF as a release runs it (SPDX + CycloneDX from the file digests
# buildSource took while writing the archive) against `git ls-files -z | xargs -0 sha256sum` over the same tree
# checked out: medians of alternating runs. Also prints the stage without the index (reading the archive) and what
# taking the digests adds to buildSource. Prints `sbom ratio: X.XX` (target <= 1.0).
# Usage: bench/sbom.sh REPO REF [RUNS]   (default 21 runs after one warm-up)
source "$(dirname "$0")/common.sh"
if [ $# -lt 2 ]; then
  echo "usage: bench/sbom.sh REPO REF [RUNS]" >&2
  exit 2
fi
repo=$1
[ -d "$repo" ] && repo=$(cd "$repo" && pwd)   # the clone runs in a temporary folder
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -Dlogback.configurationFile="$root/bench/logback.xml" -cp "$bench_classpath" dev.durablerelease.bench.SbomBench \
  "$repo" "$2" "$work" "${3:-21}"
