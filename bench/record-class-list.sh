#!/usr/bin/env bash
# Records starter/class-list.txt, the classes a release loads, which the ./release launcher makes into a class-data
# archive once per build (see the launcher). Runs the sample release (examples/hello: checkout, archives, tests and
# docs in the sandbox, SBOMs, dev signing, upload) on both embedded servers, the dev server and Temporal's Java test
# server, with the JVM listing every class it loads, and keeps the union, sorted so that a new recording diffs well.
# Lambda proxies are left out: Debian's OpenJDK 17 aborts when it archives them. Run it after changing dependencies;
# a list that has fallen behind costs only speed (classes it lacks load as usual, names it holds in vain are skipped).
# Usage: bench/record-class-list.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
temporal=$(command -v temporal) || { echo "the Temporal CLI is missing; .ci/run installs it" >&2; exit 2; }

for server in "$temporal" none; do
  # -Xshare:off: the list is of what the JVM loads by itself, not of an archive made from an earlier list
  DURABLE_RELEASE_TEMPORAL_CLI=$server \
  name=$(basename "$server")
  DURABLE_RELEASE_JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$work/$name.classes" \
    "$root/examples/hello/release-sample.sh" "$work/$name" >"$work/$name.log" 2>&1 \
    || { cat "$work/$name.log" >&2; exit 1; }
done
{
  echo "# The classes a release loads, for the class-data archive the ./release launcher makes once per build."
  echo "# Recorded by bench/record-class-list.sh from the sample release on both embedded servers; do not edit."
  cat "$work"/*.classes | grep -v -e '^#' -e '^@lambda-proxy' | LC_ALL=C sort -u
} >"$root/starter/class-list.txt"
echo "$(grep -vc '^#' "$root/starter/class-list.txt") classes in starter/class-list.txt"
