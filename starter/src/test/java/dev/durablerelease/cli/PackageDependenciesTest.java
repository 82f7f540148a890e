package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Packages point one way: no package of the engine depends, directly or through others, on a package that depends
 * on it. The dependencies are read from the compiled classes of every module by the JDK's own jdeps.
 */
class PackageDependenciesTest {
  private static final Pattern EDGE =
      Pattern.compile("^\\s+(dev\\.durablerelease\\.[a-z.]+)\\s+->\\s+(dev\\.durablerelease\\.[a-z.]+)\\s");

  @Test
  void noPackageDependsOnAPackageThatDependsOnIt() {
    Map<String, Set<String>> edges = packageDependencies();
    assertThat(edges).as("jdeps found the engine's packages").containsKeys("dev.durablerelease.workflow",
        "dev.durablerelease.activities", "dev.durablerelease.cli");
    List<List<String>> cycles = new ArrayList<>();
    for (String start : edges.keySet()) {
      findCycles(start, start, new ArrayList<>(List.of(start)), edges, cycles);
    }
    assertThat(cycles).as("package cycles").isEmpty();
  }

  /** Package → the engine's packages it uses, for the main classes of every module on the test's class path. */
  private static Map<String, Set<String>> packageDependencies() {
    List<String> classes = Arrays.stream(System.getProperty("java.class.path").split(":"))
        // the reactor gives each module as its classes folder, or as its jar once packaged (mvn verify)
        .filter(entry -> entry.matches(".*/(workflows|activities|worker|starter)/target/classes/?")
            || entry.matches(".*/(workflows|activities|worker)/target/\\1-[^/]+(?<!-tests)\\.jar")
            || entry.matches(".*/dev/durablerelease/(workflows|activities|worker|starter)/[^/]+/[^/]+(?<!-tests)\\.jar"))
        .toList();
    assertThat(classes).as("the modules' classes on the class path").hasSize(4);
    List<String> args = new ArrayList<>(List.of("-verbose:package", "-filter:none", "--multi-release", "17"));
    args.addAll(classes);
    StringWriter out = new StringWriter();
    int exit = ToolProvider.findFirst("jdeps").orElseThrow()
        .run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
    assertThat(exit).as(out.toString()).isZero();
    Map<String, Set<String>> edges = new TreeMap<>();
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.find() && !m.group(1).equals(m.group(2))) {
        edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
      }
    }
    return edges;
  }

  private static void findCycles(String start, String at, List<String> path, Map<String, Set<String>> edges,
      List<List<String>> cycles) {
    for (String next : edges.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        cycles.add(cycle);
      } else if (!path.contains(next) && next.compareTo(start) > 0) { // each cycle once, from its smallest package
        path.add(next);
        findCycles(start, next, path, edges, cycles);
        path.remove(path.size() - 1);
      }
    }
  }
}
