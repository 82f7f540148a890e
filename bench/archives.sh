#!/usr/bin/env bash
# Source archives: our buildSource step (tar.gz + tar.xz written from git objects in one pass, parallel compression)
# against `git archive --format=tar REF | gzip -n -9` plus `git archive --format=tar REF | xz -6`, in the same run,
# alternating, median of RUNS (default 5) each after one warm-up. Prints both archive sizes and
# `archives ratio: X.XX` (ours / pipeline). A plain folder is committed into a throwaway repository first.
# Usage: bench/archives.sh TREE_OR_REPO [REF] [RUNS]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
input=$(cd "${1:?usage: bench/archives.sh TREE_OR_REPO [REF] [RUNS]}" && pwd)
ref=${2:-HEAD}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# a repository is a bare one or the top of a work tree; a folder inside some other repository is a plain tree
if [ "$(git -C "$input" rev-parse --is-bare-repository 2>/dev/null)" = true ] \
    || [ "$(git -C "$input" rev-parse --show-toplevel 2>/dev/null)" = "$input" ]; then
  git_dir=$(git -C "$input" rev-parse --absolute-git-dir)
else
  git_dir="$work/tree.git"
  git init -q --bare "$git_dir"
  git --git-dir="$git_dir" --work-tree="$input" add -A
  GIT_AUTHOR_DATE=2026-11-01T12:00:00Z GIT_COMMITTER_DATE=2026-11-01T12:00:00Z git --git-dir="$git_dir" --work-tree="$input" \
    -c user.name=bench -c user.email=bench@example.invalid commit -q -m "bench tree"
fi

classpath_file="$root/activities/target/bench-classpath.txt"
mvn -B -q -f "$root/pom.xml" -pl activities -am -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >&2
classpath="$root/activities/target/test-classes:$root/activities/target/classes:$(cat "$classpath_file")"
exec java -Dlogback.configurationFile="$root/bench/logback.xml" -cp "$classpath" dev.durablerelease.bench.ArchivesBench "$git_dir" "$ref" "${3:-5}" "$work/out"
