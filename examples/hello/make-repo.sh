#!/bin/sh
# Creates the sample git repository for hello in DIR, with one commit and the annotated tag v1.0.0.
# Author, committer and dates are fixed, so the commit id is the same on every machine.
set -eu
dir=${1:?usage: make-repo.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$dir"
mkdir -p "$dir"
cp -R "$here/project/." "$dir/"
cd "$dir"
export GIT_AUTHOR_NAME="Hello Authors" GIT_AUTHOR_EMAIL="hello@example.invalid"
export GIT_COMMITTER_NAME="Hello Authors" GIT_COMMITTER_EMAIL="hello@example.invalid"
export GIT_AUTHOR_DATE="2026-11-01T12:00:00Z" GIT_COMMITTER_DATE="2026-11-01T12:00:00Z"
export GIT_CONFIG_NOSYSTEM=1 HOME="$dir/.git-home-unused"
git() { command git -c init.defaultBranch=main -c commit.gpgsign=false -c tag.gpgsign=false -c core.fileMode=true "$@"; }
git init -q
git add -A
git commit -q -m "hello 1.0.0"
git tag -a v1.0.0 -m "hello 1.0.0"
git rev-parse v1.0.0^{commit}
