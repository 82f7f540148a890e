#!/usr/bin/env bash
# A whole release of a real repository against the shell doing the part no release can skip, in the same run,
# alternating, RUNS times each (default 3), every run with a cold work folder and store:
#   ours:  ./release run (embedded Temporal, every worker in the process) of TAG: tar.gz + tar.xz, SBOMs, provenance,
#          manifest and a file:// upload; no test or docs command, and no signing (a policy file that does not sign:
#          signing is Sigstore's round trips, which the shell's part has no counterpart for); SIGN=dev signs in dev mode
#   shell: git clone --depth 1 --branch TAG; git archive | gzip -n -9; git archive | xz -6; sha256sum of both
# REPO is served by `git daemon` on loopback, so that both fetch over git's own protocol from C git's upload-pack in
# another process, as from a git host (a file:// URL would run JGit's server inside our JVM instead).
# Prints each run (wall and CPU seconds of both sides: on a busy host, wall time follows CPU), each stage's median
# time, the peak resident memory of the `release run` process (GNU time), the median of each run's ratio to the shell
# run after it, and `release ratio: X` (median wall time, ours / shell).
# Usage: bench/release.sh REPO TAG [RUNS]      (REPO: a bare repository or the top of a work tree)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage="usage: bench/release.sh REPO TAG [RUNS]"
repo=$(cd "${1:?$usage}" && pwd)
tag=${2:?$usage}
runs=${3:-3}
[ -x /usr/bin/time ] || { echo "bench/release.sh needs GNU time for peak memory: apt-get install time" >&2; exit 2; }
git_dir=$(git -C "$repo" rev-parse --absolute-git-dir)
git --git-dir="$git_dir" rev-parse -q --verify "refs/tags/$tag" >/dev/null || { echo "no tag $tag in $repo" >&2; exit 2; }

work=$(mktemp -d)
daemon=
cleanup() {
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null && { wait "$daemon" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT

"$root/release" run --help >/dev/null # builds the CLI first when its sources changed

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=$(dirname "$git_dir")
git daemon --listen=127.0.0.1 --port="$port" --base-path="$base" --export-all --reuseaddr "$base" 2>/dev/null &
daemon=$!
url="git://127.0.0.1:$port/$(basename "$git_dir")"
for _ in $(seq 100); do git ls-remote "$url" HEAD >/dev/null 2>&1 && break; sleep 0.1; done

name=bench
cat > "$work/release.yaml" <<EOF
project: $name
version: "1.0"
tag: "$tag"
source:
  formats: [tar.gz, tar.xz]
  defaultExclude: false          # the whole tree, as git archive writes it
sbom:
  supplier: bench
  license: NOASSERTION
upload: [published]
EOF
if [ "${SIGN:-}" = dev ]; then signing="    signing: {mode: dev}"; else signing=""; fi
cat > "$work/policy.yaml" <<EOF
projects:
  $name:
    repositories: ["**"]
$signing
targets:
  published: {url: "file://$work/published/", projects: [$name]}
EOF

ours() { # one release run; prints: wall_s peak_kb cpu_s, and leaves its stage times in $work/stages.N
  local run=$work/ours
  rm -rf "$run" "$work/published"
  mkdir -p "$run"
  /usr/bin/time -f "%e %M %U %S" -o "$run/time" "$root/release" run --spec "$work/release.yaml" --repository "$url" \
    --policy "$work/policy.yaml" --store "$run/store" --work-dir "$run/work" --out "$run/out" \
    >"$run/stdout" 2>"$run/stderr" \
    || { cat "$run/stdout" "$run/stderr" >&2; exit 1; }
  awk '$1 == "done" { sub(/s$/, "", $3); print $2, $3 }' "$run/stdout" >"$work/stages.$1"
  tail -1 "$run/time" | awk '{ print $1, $2, $3 + $4 }'
}

shell() { # the shell's part; prints: wall_s cpu_s (of every process it started)
  local run=$work/shell
  rm -rf "$run"
  mkdir -p "$run"
  /usr/bin/time -f "%e %U %S" -o "$run.time" bash -c '
    set -eo pipefail
    cd "$1"
    git clone -q --depth 1 --branch "$3" "$2" clone 2>/dev/null
    git -C clone archive --format=tar --prefix="$4/" HEAD | gzip -n -9 >"$4.tar.gz"
    git -C clone archive --format=tar --prefix="$4/" HEAD | xz -6 >"$4.tar.xz"
    sha256sum "$4.tar.gz" "$4.tar.xz" >SHA256SUMS' shell "$run" "$url" "$tag" "$name-1.0"
  tail -1 "$run.time" | awk '{ print $1, $2 + $3 }'
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "release of $tag from $url, $runs runs each, alternating; load average $(cut -d' ' -f1-3 /proc/loadavg)"
: >"$work/ours.txt"
: >"$work/shell.txt"
for i in $(seq "$runs"); do
  read -r wall peak cpu < <(ours "$i")
  echo "$wall $peak $cpu" >>"$work/ours.txt"
  read -r shell_wall shell_cpu < <(shell)
  echo "$shell_wall $shell_cpu" >>"$work/shell.txt"
  printf 'run %d: ours %.1f s (CPU %.1f s, peak RSS %d MB), shell %.1f s (CPU %.1f s); load average %s\n' "$i" \
    "$wall" "$cpu" $((peak / 1024)) "$shell_wall" "$shell_cpu" "$(cut -d' ' -f1 /proc/loadavg)"
done

echo "stage times (median of $runs, s):"
cat "$work"/stages.* | awk '{ print $1 }' | awk '!seen[$0]++' | while read -r stage; do
  printf '  %-14s %6.1f\n' "$stage" "$(cat "$work"/stages.* | awk -v s="$stage" '$1 == s { print $2 }' | median)"
done
column() { awk -v c="$1" '{ print $c }' "$2" | median; }
ours_median=$(column 1 "$work/ours.txt")
shell_median=$(column 1 "$work/shell.txt")
printf 'ours (whole release run process, JVM start to exit): %.1f s median, CPU %.1f s median\n' "$ours_median" \
  "$(column 3 "$work/ours.txt")"
printf 'shell (clone --depth 1, two archives, sha256sum): %.1f s median, CPU %.1f s median\n' "$shell_median" \
  "$(column 2 "$work/shell.txt")"
printf 'peak resident memory of release run: %d MB (largest of %d runs)\n' \
  $(($(awk '{ print $2 }' "$work/ours.txt" | sort -n | tail -1) / 1024)) "$runs"
# each run against the shell's run right after it: on a host whose speed drifts, a steadier figure than the medians'
printf 'each run against the shell run after it: median %.2f\n' \
  "$(paste -d' ' "$work/ours.txt" "$work/shell.txt" | awk '{ print $1 / $4 }' | median)"
printf 'release ratio: %.2f\n' "$(awk -v a="$ours_median" -v b="$shell_median" 'BEGIN { print a / b }')"
