#!/bin/sh
# Releases the sample project end to end on the embedded Temporal server:
# creates its git repository under OUT_ROOT (default target/sample), then runs ./release run on tag v1.0.0,
# refusing the release unless the tag resolves to the commit below (the one make-repo.sh always creates).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out_root=${1:-$root/target/sample}
expected_commit=20d666d48ee4afa68d3aa08131a4dc7b0ff796b3

# test and docs commands run in a bubblewrap sandbox: install it on a fresh machine, as .ci/run does
if ! command -v bwrap >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing bubblewrap (the sandbox for the sample's test and docs commands)" >&2
    apt-get update -q >&2 && apt-get install -y -q bubblewrap >&2
  else
    echo "bubblewrap is missing: install it (apt-get install bubblewrap) to run the sample's commands sandboxed" >&2
    exit 2
  fi
fi

"$here/make-repo.sh" "$out_root/hello" >/dev/null
rm -rf "$out_root/release"
exec "$root/release" run \
  --spec "$here/project/release.yaml" \
  --repository "$out_root/hello" \
  --expected-commit "$expected_commit" \
  --store "$out_root/store" \
  --work-dir "$out_root/work" \
  --out "$out_root/release"
