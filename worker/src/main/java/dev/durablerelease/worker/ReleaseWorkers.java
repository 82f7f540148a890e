package dev.durablerelease.worker;

import dev.durablerelease.activities.BuildActivitiesImpl;
import dev.durablerelease.activities.DocsActivitiesImpl;
import dev.durablerelease.activities.SignActivitiesImpl;
import dev.durablerelease.activities.SourceActivitiesImpl;
import dev.durablerelease.activities.UploadActivitiesImpl;
import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.workflow.ReleaseWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which activities run on which task queue. A worker process serves a chosen set of queues and registers only their
 * activities, so a host serving {@code sign} or {@code upload} never runs project code.
 */
public final class ReleaseWorkers implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseWorkers.class);

  /**
   * Every queue, in the order a single-process worker starts them. The second builder's queue is among them, so that
   * {@code release run} can release a project whose policy wants two builders; on a cluster it is served by hosts
   * administered apart from the first builder's.
   */
  public static final List<String> ALL_QUEUES = List.of(TaskQueues.WORKFLOWS, TaskQueues.SOURCE,
      TaskQueues.SOURCE_2, TaskQueues.BUILD, TaskQueues.DOCS, TaskQueues.SIGN, TaskQueues.UPLOAD);

  private final WorkerFactory factory;
  private final Set<String> queues;

  private ReleaseWorkers(WorkerFactory factory, Set<String> queues) {
    this.factory = factory;
    this.queues = queues;
  }

  /** Creates (without starting) workers for the given queues (full names). */
  public static ReleaseWorkers create(WorkflowClient client, WorkerContext context, List<String> queues) {
    return create(client, context, queues, WorkerTuning.defaults());
  }

  public static ReleaseWorkers create(WorkflowClient client, WorkerContext context, List<String> queues,
      WorkerTuning tuning) {
    return register(WorkerFactory.newInstance(client), context, queues, tuning);
  }

  /**
   * Workers beside the server {@code release run} starts: sticky execution saves replaying each history on every
   * workflow task. It is safe there: the Java test server dies with them, and the dev server, which may outlive them,
   * times out a dead worker's sticky queue as every real server does.
   */
  public static ReleaseWorkers createBesideEmbeddedServer(WorkflowClient client, WorkerContext context) {
    return register(WorkerFactory.newInstance(client), context, ALL_QUEUES, WorkerTuning.defaults(), true);
  }

  /** Registers workers for the given queues on an existing factory (tests use the test environment's). */
  public static ReleaseWorkers register(WorkerFactory factory, WorkerContext context, List<String> queues) {
    return register(factory, context, queues, WorkerTuning.defaults());
  }

  private static ReleaseWorkers register(WorkerFactory factory, WorkerContext context, List<String> queues,
      WorkerTuning tuning) {
    // the Java test server has no timeout on a worker's sticky queue: were this process to stop, tasks and queries
    // of its releases would wait on that queue forever; without stickiness any worker takes them over
    boolean sticky = !isJavaTestServer(factory.getWorkflowClient().getWorkflowServiceStubs());
    return register(factory, context, queues, tuning, sticky);
  }

  private static ReleaseWorkers register(WorkerFactory factory, WorkerContext context, List<String> queues,
      WorkerTuning tuning, boolean sticky) {
    Set<String> served = new LinkedHashSet<>(queues);
    if (served.contains(TaskQueues.BUILD) || served.contains(TaskQueues.DOCS)) {
      // refuse at start rather than take project code off the queue and fail it
      context.commands().requireUsable();
      try {
        context.commands().removeStaleRuns();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the run folders and control groups of dead workers", e);
      }
      if (!context.commands().limitsWholeTree()) {
        LOG.info("the memory and process limits of test and docs commands hold per process only: this worker cannot"
            + " make control groups (that needs root and the cgroup v1 memory and pids hierarchies)");
      }
      if (!context.commands().limitsDiskPerCommand()) {
        LOG.info("the disk limit of test and docs commands does not hold per command: this worker cannot mount a file"
            + " system for each (that needs root and loop devices); a command is still stopped when the disk of its"
            + " run folder runs low");
      }
    }
    for (String queue : served) {
      WorkerOptions.Builder options = tuning.options(queue);
      if (!sticky) {
        options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
      }
      Worker worker = factory.newWorker(queue, options.build());
      if (queue.equals(TaskQueues.WORKFLOWS)) {
        worker.registerWorkflowImplementationTypes(ReleaseWorkflowImpl.class);
      } else {
        worker.registerActivitiesImplementations(activities(queue, context));
      }
    }
    return new ReleaseWorkers(factory, served);
  }

  /** The activities a worker registers on an activity queue: only build and docs run project code. */
  static Object activities(String queue, WorkerContext context) {
    return switch (queue) {
      case TaskQueues.SOURCE, TaskQueues.SOURCE_2 -> new SourceActivitiesImpl(context);
      case TaskQueues.BUILD -> new BuildActivitiesImpl(context);
      case TaskQueues.DOCS -> new DocsActivitiesImpl(context);
      case TaskQueues.SIGN -> new SignActivitiesImpl(context);
      case TaskQueues.UPLOAD -> new UploadActivitiesImpl(context);
      default -> throw new IllegalArgumentException("unknown task queue " + queue);
    };
  }

  /** Temporal's Java test server (embedded or dev-server) reports no server version; real clusters do. */
  static boolean isJavaTestServer(WorkflowServiceStubs stubs) {
    return stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).getServerVersion().isEmpty();
  }

  public ReleaseWorkers start() {
    factory.start();
    return this;
  }

  public Set<String> queues() {
    return queues;
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
