#!/bin/sh
# Builds the HTML documentation into docs/_build/html.
set -eu
out=docs/_build/html
mkdir -p "$out"
{
    echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>hello</title></head><body>'
    sed -e 's/^# \(.*\)/<h1>\1<\/h1>/' -e 's/^    \(.*\)/<pre>\1<\/pre>/' docs/index.md
    echo '</body></html>'
} > "$out/index.html"
echo "wrote $out/index.html"
