# Shared by the bench scripts: builds the CLI and its test classes, and sets bench_classpath to run them with.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
classpath_file="$root/starter/target/bench-classpath.txt"
# one reactor run: every module writes the file in turn; starter, built last, leaves its own (test scope) classpath
mvn -B -q -f "$root/pom.xml" -pl starter -am -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file" >&2
bench_classpath="$root/starter/target/test-classes:$root/starter/target/classes:$(cat "$classpath_file")"
