package dev.durablerelease.bench;

import dev.durablerelease.worker.DevServer;
import dev.durablerelease.worker.EmbeddedTemporal;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The server a benchmark runs against, as {@code release run} would start it: Temporal's Java test server in this
 * JVM (the baseline figures), or, with {@code -Dbench.server=dev} (the scripts' {@code --dev-server}), the Temporal
 * CLI's dev server, the real server, its history in SQLite.
 */
final class BenchServer implements AutoCloseable {
  private final AutoCloseable server;
  private final String target;
  private final String name;

  private BenchServer(AutoCloseable server, String target, String name) {
    this.server = server;
    this.target = target;
    this.name = name;
  }

  static BenchServer start(Path dir) throws IOException {
    if ("dev".equals(System.getProperty("bench.server"))) {
      Path cli = DevServer.locate(null, System.getenv()).orElseThrow(() -> new IllegalStateException(
          "--dev-server needs the Temporal CLI on the PATH (go install github.com/temporalio/cli/cmd/temporal@v1.5.1)"));
      DevServer dev = DevServer.open(cli, dir.resolve("temporal"), 0, 0);
      return new BenchServer(dev, dev.target(), "the Temporal CLI's dev server (SQLite)");
    }
    EmbeddedTemporal embedded = EmbeddedTemporal.start(0);
    return new BenchServer(embedded, embedded.target(), "Temporal's Java test server (in memory)");
  }

  String target() {
    return target;
  }

  /** What the figures were measured against, for the report. */
  String name() {
    return name;
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
