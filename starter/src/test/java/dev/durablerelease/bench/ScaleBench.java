package dev.durablerelease.bench;

import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.cli.ReleaseCli;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.worker.TemporalConnection;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseResult;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Many releases at once: N releases (each its own repository) started together against one worker JVM serving every
 * queue with a capped heap, the server started by this JVM ({@link BenchServer}). Prints completion time, throughput,
 * the worker's peak heap (from its GC log), events per history and failures. Baselines: 150 events per history, the
 * worker's -Xmx.
 */
public final class ScaleBench {
  private static final int EVENTS_TARGET = 150;
  private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  private ScaleBench() {}

  public static void main(String[] args) throws Exception {
    int releases = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    String heap = args.length > 1 ? args[1] : "512m";
    List<String> workerOptions = args.length > 2 ? List.of(args[2].split(" ")) : List.of();
    Path tmp = Files.createTempDirectory("durable-release-scale");
    List<SampleRepository> repos = new ArrayList<>();
    for (int i = 0; i < releases; i++) {
      repos.add(SampleRepository.create(tmp.resolve("repos/project" + i)));
    }
    Path gcLog = tmp.resolve("worker-gc.log");
    try (BenchServer server = BenchServer.start(tmp)) {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
              .toString(), "-Xmx" + heap, "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path"),
          "-Dlogback.configurationFile=" + System.getProperty("logback.configurationFile", ""),
          ReleaseCli.class.getName(), "worker", "--store", tmp.resolve("store").toString(),
          "--work-dir", tmp.resolve("work").toString(), "--dev-policy", "--target",
          BenchRelease.TARGET + "=" + tmp.resolve("out")));
      command.addAll(workerOptions);
      ProcessBuilder worker = new ProcessBuilder(command)
          .redirectErrorStream(true).redirectOutput(tmp.resolve("worker.log").toFile());
      worker.environment().put("TEMPORAL_ADDRESS", server.target());
      Process workerProcess = worker.start();
      TemporalConnection connection = TemporalConnection.embedded(server.target());
      WorkflowServiceStubs stubs = connection.connect();
      try {
        WorkflowClient client = connection.client(stubs);
        waitForWorker(tmp.resolve("worker.log"));
        long start = System.nanoTime();
        List<CompletableFuture<ReleaseResult>> results = new ArrayList<>();
        for (int i = 0; i < releases; i++) {
          String id = "release-hello-" + i;
          ReleaseWorkflow workflow = client.newWorkflowStub(ReleaseWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(id).build());
          WorkflowClient.start(workflow::run, ReleaseRequest.of(BenchRelease.spec(repos.get(i), "1.0.0",
              String.valueOf(i))));
          results.add(WorkflowStub.fromTyped(workflow).getResultAsync(ReleaseResult.class));
        }
        int failures = 0;
        for (CompletableFuture<ReleaseResult> result : results) {
          try {
            result.get();
          } catch (Exception e) {
            failures++;
            System.out.println("failed: " + e.getCause());
          }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> events = new ArrayList<>();
        for (int i = 0; i < releases; i++) {
          events.add((long) client.fetchHistory("release-hello-" + i).getEvents().size());
        }
        workerProcess.destroy();
        workerProcess.waitFor();
        long peakHeap = peakHeapMb(gcLog);
        long maxEvents = events.stream().mapToLong(Long::longValue).max().orElse(0);
        System.out.printf("releases: %d started at once, one worker JVM -Xmx%s serving every queue %s, 2 cores, %s%n",
            releases, heap, String.join(" ", workerOptions), server.name());
        System.out.printf("completion s: %.1f%n", seconds);
        System.out.printf("releases per minute: %.0f%n", releases / seconds * 60);
        System.out.printf("failures: %d%n", failures);
        System.out.printf("worker peak heap MB (before GC): %d of -Xmx%s%n", peakHeap, heap);
        System.out.printf("events per history: median %d, max %d%n", BenchRelease.median(events), maxEvents);
        System.out.printf("events ratio (max vs %d target): %.2f%n", EVENTS_TARGET, maxEvents / (double) EVENTS_TARGET);
      } finally {
        workerProcess.destroyForcibly();
        stubs.shutdown();
      }
    } finally {
      repos.forEach(SampleRepository::close);
    }
    System.exit(0);
  }

  private static void waitForWorker(Path log) throws Exception {
    for (int i = 0; i < 600; i++) {
      if (Files.exists(log) && Files.readString(log).contains("serving ")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("the worker did not start; see " + log);
  }

  private static long peakHeapMb(Path gcLog) throws Exception {
    long peak = 0;
    Matcher m = GC_HEAP.matcher(Files.readString(gcLog));
    while (m.find()) {
      peak = Math.max(peak, Long.parseLong(m.group(1)));
    }
    return peak;
  }
}
