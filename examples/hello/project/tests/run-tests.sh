#!/bin/sh
# Runs the hello binary given as $1 against its expected outputs.
set -eu
bin=$1
failures=0

check() {
    expected=$1; shift
    actual=$("$bin" "$@" 2>&1) || true
    if [ "$actual" = "$expected" ]; then
        echo "ok   $bin $*"
    else
        echo "FAIL $bin $*: expected '$expected', got '$actual'"
        failures=$((failures + 1))
    fi
}

check "Hello, world!"
check "Hello, release!" release
check "hello: name too long" "$(printf 'x%.0s' $(seq 1 65))"

[ "$failures" -eq 0 ] && echo "all tests passed"
exit "$failures"
