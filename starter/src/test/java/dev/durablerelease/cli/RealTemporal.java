package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.worker.DevServer;
import dev.durablerelease.worker.ReleaseWorkers;
import dev.durablerelease.worker.TemporalConnection;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The real Temporal server for a test: the dev server {@code release run} starts ({@link DevServer}, the Temporal CLI's
 * {@code temporal server start-dev}) on loopback ports, its SQLite file in the test's folder; the Temporal CLI and a
 * Java client against it; workers the test starts in this JVM. All stopped on close.
 */
final class RealTemporal implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path cli;
  private final DevServer server;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final List<ReleaseWorkers> workers = new ArrayList<>();

  private RealTemporal(Path cli, DevServer server, WorkflowServiceStubs stubs, WorkflowClient client) {
    this.cli = cli;
    this.server = server;
    this.stubs = stubs;
    this.client = client;
  }

  /** Starts the dev server with its files in {@code dir}. */
  static RealTemporal start(Path dir) throws IOException {
    Path cli = RequiredTools.temporal();
    DevServer server = DevServer.open(cli, dir, 0, 0);
    TemporalConnection connection = TemporalConnection.embedded(server.target());
    WorkflowServiceStubs stubs = connection.connect();
    return new RealTemporal(cli, server, stubs, connection.client(stubs));
  }

  String target() {
    return server.target();
  }

  String ui() {
    return server.uiUrl();
  }

  WorkflowClient client() {
    return client;
  }

  /** The environment our CLI gets to act on this server. */
  Map<String, String> env() {
    return new HashMap<>(Map.of("TEMPORAL_ADDRESS", target(), "USER", "tester"));
  }

  /** Workers for the given queues in this JVM, as a worker host would run them (sticky, as on any real server). */
  ReleaseWorkers serve(WorkerContext context, List<String> queues) {
    ReleaseWorkers started = ReleaseWorkers.create(client, context, queues).start();
    workers.add(started);
    return started;
  }

  /** Runs {@code temporal ARGS --address THIS}, asserts it succeeds and returns its output. */
  String temporal(String... args) throws Exception {
    return temporal(cli, target(), args);
  }

  /** {@code temporal ARGS --output json}, parsed. */
  JsonNode temporalJson(String... args) throws Exception {
    List<String> withJson = new ArrayList<>(List.of(args));
    withJson.addAll(List.of("--output", "json"));
    return JSON.readTree(temporal(withJson.toArray(String[]::new)));
  }

  static String temporal(Path cli, String address, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(cli.toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--address", address));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + ":\n" + output).isZero();
    return output;
  }

  /**
   * How many times each activity did its work for a release, over every run of it: completions whose result was not
   * reused from an earlier run's record, counted once when a reset copied them into a new run's history.
   */
  static Map<String, Integer> workDone(WorkflowClient client, String workflowId) throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (WorkflowExecutionMetadata run : client.listExecutions("WorkflowId = '" + workflowId + "'").toList()) {
      Map<Long, String> typeOf = new HashMap<>();
      for (HistoryEvent event : client.fetchHistory(workflowId, run.getExecution().getRunId()).getEvents()) {
        if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          typeOf.put(event.getEventId(),
              event.getActivityTaskScheduledEventAttributes().getActivityType().getName());
        } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          var completed = event.getActivityTaskCompletedEventAttributes();
          String type = typeOf.get(completed.getScheduledEventId());
          // a copy made by a reset keeps the original's time: the same event, not a second execution
          if (!seen.add(type + "@" + event.getEventTime())) {
            continue;
          }
          JsonNode result = completed.getResult().getPayloadsCount() == 0 ? null
              : JSON.readTree(completed.getResult().getPayloads(0).getData().toByteArray());
          boolean reused = result != null && result.path("run").path("reused").asBoolean(false);
          if (!reused) {
            counts.merge(type, 1, Integer::sum);
          }
        }
      }
    }
    return counts;
  }

  /**
   * {@link #workDone} of the checklist's stages only (discardStaging and the policy checks, which every run asks again,
   * aside): what a crash or a resume must not make run twice.
   */
  static Map<String, Integer> stagesDone(WorkflowClient client, String workflowId) throws IOException {
    Map<String, Integer> stages = new TreeMap<>(workDone(client, workflowId));
    stages.keySet().retainAll(STAGES);
    return stages;
  }

  /** Every stage of the sample release doing its work once: what a release that never failed shows. */
  static final Map<String, Integer> ONCE_EACH = Map.of("checkout", 1, "buildSource", 1, "testSource", 1,
      "buildDocs", 1, "generateSbom", 1, "provenance", 1, "sign", 1, "writeManifest", 1, "upload", 1);

  private static final Set<String> STAGES = ONCE_EACH.keySet();

  @Override
  public void close() {
    workers.forEach(ReleaseWorkers::close);
    stubs.shutdown();
    server.close();
  }
}
