package dev.durablerelease.worker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real Temporal server as the Temporal CLI runs it for development ({@code temporal server start-dev}): on
 * loopback, its history in a SQLite file, the Temporal UI on a port of its own. One server per folder (the store's
 * {@code temporal/}), shared by every process that opens it there:
 * <ul>
 *   <li>the first to open it starts it and records it in {@code dev-server.json}; later ones (a second
 *       {@code release run} on the same store, or the next one after a crash) find it there and use it;
 *   <li>each user holds a shared lock on {@code dev-server.users} and the last to close stops the server. A user
 *       killed outright drops its lock with it; the server outlives it and the next user takes it over;
 *   <li>while it is open, a server that dies is started again on the same ports and the same SQLite file, so that
 *       clients and workers reconnect to it and carry on from its history.
 * </ul>
 */
public final class DevServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LOOPBACK = "127.0.0.1";
  /** {@code --temporal-cli}'s environment variable; {@code none} keeps Temporal's Java test server. */
  public static final String CLI_VARIABLE = "DURABLE_RELEASE_TEMPORAL_CLI";
  public static final String NONE = "none";
  private static final Duration START_TIMEOUT = Duration.ofMinutes(1);
  private static final Duration WATCH_INTERVAL = Duration.ofMillis(500);

  /** The server would not start (a port in use, a broken SQLite file…): the message ends with its log. */
  public static final class StartFailure extends IOException {
    private static final long serialVersionUID = 1L;

    StartFailure(String message) {
      super(message);
    }
  }

  /** What dev-server.json records of a started server. */
  private record Running(long pid, int port, int uiPort, String database) {}

  /** Processes of this JVM that use a folder's server share one lock on its users file (locks are per JVM). */
  private static final Map<Path, SharedUse> USERS = new HashMap<>();

  private record SharedUse(FileChannel channel, FileLock lock, int count) {}

  private final Path binary;
  private final Path folder;
  private volatile Running running;
  private volatile boolean closed;
  private final Thread watcher;

  private DevServer(Path binary, Path folder, Running running) {
    this.binary = binary;
    this.folder = folder;
    this.running = running;
    this.watcher = new Thread(this::watch, "temporal-dev-server-watch");
    watcher.setDaemon(true);
  }

  /**
   * The Temporal CLI to run the server with: the one configured ({@code --temporal-cli} or
   * {@value #CLI_VARIABLE}), else {@code temporal} on the PATH; empty when there is none or it is configured as
   * {@value #NONE}.
   */
  public static Optional<Path> locate(String configured, Map<String, String> env) {
    String chosen = configured != null && !configured.isBlank() ? configured : env.get(CLI_VARIABLE);
    if (chosen != null && !chosen.isBlank()) {
      if (chosen.equals(NONE)) {
        return Optional.empty();
      }
      Path cli = Path.of(chosen).toAbsolutePath();
      if (!Files.isRegularFile(cli) || !Files.isExecutable(cli)) {
        throw new IllegalArgumentException("the Temporal CLI " + chosen + " (--temporal-cli or " + CLI_VARIABLE
            + ") is not an executable file; give the path of `temporal`, or " + NONE + " for the in-memory server");
      }
      return Optional.of(cli);
    }
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path cli = Path.of(dir, "temporal");
        if (Files.isRegularFile(cli) && Files.isExecutable(cli)) {
          return Optional.of(cli.toAbsolutePath());
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Uses the server of this folder, starting it when none runs.
   *
   * @param port the frontend's port when the server has to be started; 0 picks a free one
   * @param uiPort the UI's port when the server has to be started; 0 picks a free one
   */
  public static DevServer open(Path binary, Path folder, int port, int uiPort) throws IOException {
    Path dir = Files.createDirectories(folder.toAbsolutePath().normalize());
    DevServer server;
    synchronized (USERS) {
      try (FileChannel lockFile = FileChannel.open(dir.resolve("dev-server.lock"), lockOptions());
          FileLock ignored = lockFile.lock()) {
        Running found = read(dir).filter(r -> isAlive(r)).orElse(null);
        if (found == null) {
          found = start(binary, dir, port, uiPort);
        } else {
          if (port != 0 && port != found.port()) {
            LOG.warn("the Temporal dev server of {} already runs on {}:{} (pid {}); using it there", dir, LOOPBACK,
                found.port(), found.pid());
          }
          awaitReady(found, null, dir);
        }
        join(dir);
        server = new DevServer(binary, dir, found);
      }
    }
    server.watcher.start();
    return server;
  }

  /** {@code host:port} for clients. */
  public String target() {
    return LOOPBACK + ":" + running.port();
  }

  public String uiUrl() {
    return "http://" + LOOPBACK + ":" + running.uiPort();
  }

  public Path database() {
    return Path.of(running.database());
  }

  public long pid() {
    return running.pid();
  }

  /** Stops using the server; stops the server too when no other process uses it. */
  @Override
  public void close() {
    synchronized (USERS) {
      if (closed) {
        return; // closed already (a shutdown hook and the command both close it)
      }
      closed = true;
      watcher.interrupt();
      try (FileChannel lockFile = FileChannel.open(folder.resolve("dev-server.lock"), lockOptions());
          FileLock ignored = lockFile.lock()) {
        if (leave(folder)) {
          stopIfUnused();
        }
      } catch (IOException e) {
        LOG.warn("cannot tell whether other processes still use the Temporal dev server of {}: {}; left running",
            folder, e.getMessage());
      }
    }
  }

  /** Blocks until this process is stopped (for {@code release dev-server}). */
  public void awaitTermination() throws InterruptedException {
    watcher.join();
  }

  private void stopIfUnused() throws IOException {
    try (FileChannel users = FileChannel.open(folder.resolve("dev-server.users"), lockOptions());
        FileLock exclusive = users.tryLock()) {
      if (exclusive == null) {
        return; // another process uses it
      }
      Running current = read(folder).orElse(null);
      if (current != null && isAlive(current)) {
        // kill -9 rather than a graceful stop, which spends 1.5 s draining the server's own system workers: every
        // history is committed to SQLite as it is written, and a killed server carries on from the file
        // (CrashOnARealServerTest kills it mid-release)
        ProcessHandle process = ProcessHandle.of(current.pid()).orElseThrow();
        process.destroyForcibly();
        try {
          process.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
          LOG.warn("the Temporal dev server (pid {}) did not stop within 20 s: {}", current.pid(), e.toString());
        }
      }
      Files.deleteIfExists(folder.resolve("dev-server.json"));
    }
  }

  /** While open: a server that died is started again on the same ports and SQLite file. */
  private void watch() {
    while (!closed) {
      try {
        Thread.sleep(WATCH_INTERVAL.toMillis());
        if (!closed && !isAlive(running)) {
          restart();
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException | RuntimeException e) {
        LOG.error("the Temporal dev server of {} stopped and could not be started again: {}", folder, e.getMessage());
      }
    }
  }

  private void restart() throws IOException {
    synchronized (USERS) {
      try (FileChannel lockFile = FileChannel.open(folder.resolve("dev-server.lock"), lockOptions());
          FileLock ignored = lockFile.lock()) {
        if (closed) {
          return;
        }
        Running found = read(folder).filter(r -> isAlive(r)).orElse(null);
        if (found != null && found.port() == running.port()) {
          running = found; // another process started it again first
          return;
        }
        long dead = running.pid();
        running = start(binary, folder, running.port(), running.uiPort());
        LOG.warn("the Temporal dev server (pid {}) stopped; started it again on the same SQLite file {} (pid {})",
            dead, running.database(), running.pid());
      }
    }
  }

  private static Running start(Path binary, Path dir, int port, int uiPort) throws IOException {
    Path database = dir.resolve("temporal.sqlite");
    Path log = dir.resolve("dev-server.log");
    boolean choosePorts = port == 0 || uiPort == 0;
    IOException failure = null;
    // a free port can be taken between choosing it and binding it: choose again a few times
    for (int attempt = 0; attempt < (choosePorts ? 3 : 1); attempt++) {
      int grpc = port != 0 ? port : freePort();
      int ui = uiPort != 0 ? uiPort : freePort();
      List<String> command = List.of(binary.toString(), "server", "start-dev", "--ip", LOOPBACK, "--port",
          String.valueOf(grpc), "--ui-port", String.valueOf(ui), "--db-filename", database.toString());
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
      Running started = new Running(process.pid(), grpc, ui, database.toString());
      try {
        awaitReady(started, process, dir);
        write(dir, started);
        registerSearchAttributes(started);
        return started;
      } catch (IOException e) {
        process.destroyForcibly();
        failure = e;
      }
    }
    throw failure;
  }

  /** Waits until the frontend answers, or the process has died. */
  private static void awaitReady(Running server, Process process, Path dir) throws IOException {
    // lazy stubs: the server is starting, and connect() would call it unreachable at once
    WorkflowServiceStubs stubs = TemporalConnection.embedded(LOOPBACK + ":" + server.port()).lazyStubs();
    try {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (true) {
        try {
          stubs.blockingStub().withDeadlineAfter(2, TimeUnit.SECONDS)
              .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
          return;
        } catch (StatusRuntimeException e) {
          boolean dead = process != null ? !process.isAlive() : !isAlive(server);
          if (dead || System.nanoTime() > deadline) {
            throw new StartFailure("the Temporal dev server (pid " + server.pid() + ", port " + server.port()
                + ") did not start" + (dead ? "" : " within " + START_TIMEOUT.toSeconds() + " s") + "; the end of "
                + dir.resolve("dev-server.log") + ":\n" + tail(dir.resolve("dev-server.log")));
          }
          Thread.sleep(100);
          // a refused connection holds the channel's next attempt back for a second (gRPC's backoff): try now
          stubs.getRawChannel().resetConnectBackoff();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the Temporal dev server", e);
    } finally {
      stubs.shutdown();
    }
  }

  private static void registerSearchAttributes(Running server) throws IOException {
    WorkflowServiceStubs stubs = TemporalConnection.embedded(LOOPBACK + ":" + server.port()).connect();
    try {
      SearchAttributes.registerMissing(stubs, TemporalConnection.DEFAULT_NAMESPACE);
    } finally {
      stubs.shutdown();
    }
  }

  /** The recorded server runs when its process lives and is a dev server of this SQLite file (pids are reused). */
  private static boolean isAlive(Running server) {
    return ProcessHandle.of(server.pid())
        .filter(ProcessHandle::isAlive)
        .flatMap(p -> p.info().arguments())
        .map(List::of)
        .filter(args -> args.contains("start-dev") && args.contains(server.database()))
        .isPresent();
  }

  private static Optional<Running> read(Path dir) throws IOException {
    try {
      return Optional.of(JSON.readValue(Files.readAllBytes(dir.resolve("dev-server.json")), Running.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      return Optional.empty(); // a torn write of a process that died: as good as none
    }
  }

  private static void write(Path dir, Running server) throws IOException {
    Path tmp = dir.resolve("dev-server.json.tmp");
    Files.write(tmp, JSON.writeValueAsBytes(server));
    Files.move(tmp, dir.resolve("dev-server.json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  /** Takes a share of the users lock for this JVM. */
  private static void join(Path dir) throws IOException {
    SharedUse use = USERS.get(dir);
    if (use == null) {
      FileChannel channel = FileChannel.open(dir.resolve("dev-server.users"), lockOptions());
      use = new SharedUse(channel, channel.lock(0, Long.MAX_VALUE, true), 0);
    }
    USERS.put(dir, new SharedUse(use.channel(), use.lock(), use.count() + 1));
  }

  /** Gives back this session's share; returns whether this JVM no longer uses the server. */
  private static boolean leave(Path dir) throws IOException {
    SharedUse use = USERS.get(dir);
    if (use.count() > 1) {
      USERS.put(dir, new SharedUse(use.channel(), use.lock(), use.count() - 1));
      return false;
    }
    USERS.remove(dir);
    use.lock().release();
    use.channel().close();
    return true;
  }

  private static java.util.Set<java.nio.file.OpenOption> lockOptions() {
    return java.util.Set.of(java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.READ,
        java.nio.file.StandardOpenOption.WRITE);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static String tail(Path log) {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long start = Math.max(0, file.length() - 2000);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
