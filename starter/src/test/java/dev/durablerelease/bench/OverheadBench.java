package dev.durablerelease.bench;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.store.LocalArtifactStore;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.worker.ReleaseWorkers;
import dev.durablerelease.worker.TemporalConnection;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Engine overhead of one release: wall time from start to result, minus the time the activities themselves report
 * (along the critical path), on a warm worker beside the server release run starts ({@link BenchServer}). Baseline:
 * the 300 ms target.
 */
public final class OverheadBench {
  private static final long TARGET_MS = 300;

  private OverheadBench() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int warmup = 5;
    Path tmp = Files.createTempDirectory("durable-release-overhead");
    try (SampleRepository repo = SampleRepository.create(tmp.resolve("hello"));
        BenchServer server = BenchServer.start(tmp)) {
      for (int i = 0; i < warmup + runs; i++) {
        repo.tag("v1.0." + i);
      }
      TemporalConnection connection = TemporalConnection.embedded(server.target());
      WorkflowServiceStubs stubs = connection.connect();
      WorkflowClient client = connection.client(stubs);
      WorkerContext context = new WorkerContext(new LocalArtifactStore(tmp.resolve("store")),
          Files.createDirectories(tmp.resolve("work")), "bench-worker")
          .withPolicy(Policy.builtInDev(Map.of(BenchRelease.TARGET, tmp.resolve("out").toUri().toString())));
      try (ReleaseWorkers workers = ReleaseWorkers.createBesideEmbeddedServer(client, context).start()) {
        List<Long> walls = new ArrayList<>();
        List<Long> activities = new ArrayList<>();
        List<Long> overheads = new ArrayList<>();
        Map<String, List<Long>> dispatch = new TreeMap<>();
        for (int i = 0; i < warmup + runs; i++) {
          String version = "1.0." + i;
          String id = "release-hello-" + version;
          ReleaseWorkflow workflow = client.newWorkflowStub(ReleaseWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(id).build());
          ReleaseRequest request = ReleaseRequest.of(BenchRelease.spec(repo, version, String.valueOf(i)));
          long start = System.nanoTime();
          ReleaseResult result = workflow.run(request);
          long wall = (System.nanoTime() - start) / 1_000_000;
          if (i < warmup) {
            continue;
          }
          long activity = BenchRelease.activityMillis(result);
          walls.add(wall);
          activities.add(activity);
          overheads.add(wall - activity);
          BenchRelease.dispatchMillis(client.fetchHistory(id).getEvents())
              .forEach((stage, ms) -> dispatch.computeIfAbsent(stage, s -> new ArrayList<>()).add(ms));
        }
        long overhead = BenchRelease.median(overheads);
        System.out.printf("releases measured: %d (after %d warm-up), 2 cores, %s%n", runs, warmup, server.name());
        System.out.printf("wall ms (median): %d%n", BenchRelease.median(walls));
        System.out.printf("inside activities ms (median, critical path): %d%n", BenchRelease.median(activities));
        System.out.printf("overhead ms: %d%n", overhead);
        System.out.printf("overhead ratio (vs %d ms target): %.2f%n", TARGET_MS, overhead / (double) TARGET_MS);
        System.out.println("dispatch latency ms (median schedule-to-start per stage):");
        dispatch.forEach((stage, ms) -> System.out.printf("  %-14s %d%n", stage, BenchRelease.median(ms)));
      } finally {
        stubs.shutdown();
      }
    }
    System.exit(0);
  }
}
