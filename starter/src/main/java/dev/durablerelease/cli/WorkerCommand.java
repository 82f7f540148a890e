package dev.durablerelease.cli;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.policy.Domain;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.worker.ReleaseWorkers;
import dev.durablerelease.worker.SearchAttributes;
import dev.durablerelease.worker.TemporalConnection;
import dev.durablerelease.worker.WorkerTuning;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code release worker}: serve some task queues against a Temporal cluster until stopped. */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Serve task queues against the Temporal server at TEMPORAL_ADDRESS until stopped (Ctrl-C).")
class WorkerCommand implements Callable<Integer> {
  @ParentCommand
  ReleaseCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  StoreOptions storeOptions;

  @Mixin
  SandboxOption sandbox;

  @Mixin
  PolicyOptions policy;

  @Option(names = "--dev-policy",
      description = "without a policy file, use the built-in dev policy (any repository, dev signing, no approvals,"
          + " only --target folders): for trying a cluster on one machine, never for real releases")
  boolean devPolicy;

  @Option(names = "--queues", split = ",", paramLabel = "QUEUE",
      description = "queues to serve: workflows, source, source2 (the second builder, where the policy wants two),"
          + " build, docs, sign, upload (default: all)")
  List<String> queues;

  @Option(names = "--command-slots", description = "concurrent test/docs commands (default: the number of cores)")
  Integer commandSlots;

  @Option(names = "--activity-slots", description = "concurrent activities of the other queues (default 50)")
  Integer activitySlots;

  @Option(names = "--workflow-task-slots", description = "concurrent workflow tasks (default 50)")
  Integer workflowTaskSlots;

  @Override
  public Integer call() throws Exception {
    TemporalConnection connection = TemporalConnection.fromEnvironment(root.env());
    if (connection.isEmbedded()) {
      throw new UserError("worker needs TEMPORAL_ADDRESS (a cluster, or `release dev-server`)");
    }
    List<String> served;
    try {
      served = queues == null ? ReleaseWorkers.ALL_QUEUES : queues.stream().map(TaskQueues::fromShortName).toList();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    WorkerContext context = policy.apply(sandbox.apply(storeOptions.context(root.env())), root.env(),
        Domain.ofQueues(served), devPolicy);
    WorkflowServiceStubs stubs = connection.connect();
    if (served.contains(TaskQueues.WORKFLOWS)) {
      try {
        SearchAttributes.requireRegistered(stubs, connection.namespace());
      } catch (IllegalStateException e) {
        stubs.shutdown();
        throw new UserError(e.getMessage());
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (ReleaseWorkers workers = ReleaseWorkers.create(connection.client(stubs), context, served, tuning()).start()) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      command.commandLine().getOut().println("serving " + String.join(", ", workers.queues()) + " at "
          + connection.address() + " (namespace " + connection.namespace() + "), store " + context.store().location()
          + ", policy " + context.policy().origin());
      command.commandLine().getOut().flush();
      stopped.await();
    } finally {
      stubs.shutdown();
    }
    return ExitCodes.OK;
  }

  private WorkerTuning tuning() {
    WorkerTuning defaults = WorkerTuning.defaults();
    return new WorkerTuning(commandSlots != null ? commandSlots : defaults.commandSlots(),
        activitySlots != null ? activitySlots : defaults.activitySlots(),
        workflowTaskSlots != null ? workflowTaskSlots : defaults.workflowTaskSlots());
  }
}
