package dev.durablerelease.worker;

import dev.durablerelease.activity.TaskQueues;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;

/**
 * How much one worker process takes on at once. The defaults come from bench/scale.sh (50 releases at once on 2
 * cores, see bench/README.md): engine stages are short and I/O-bound, so many run at once; project commands (tests, docs)
 * are CPU-bound, so a host runs about as many as it has cores, and the rest wait on the queue for another host.
 *
 * @param commandSlots concurrent test and docs commands
 * @param activitySlots concurrent activities of every other queue
 * @param workflowTaskSlots concurrent workflow tasks
 */
public record WorkerTuning(int commandSlots, int activitySlots, int workflowTaskSlots) {

  public static WorkerTuning defaults() {
    return new WorkerTuning(Math.max(2, Runtime.getRuntime().availableProcessors()), 50, 50);
  }

  WorkerOptions.Builder options(String queue) {
    WorkerOptions.Builder builder = WorkerOptions.newBuilder();
    if (queue.equals(TaskQueues.WORKFLOWS)) {
      builder.setMaxConcurrentWorkflowTaskExecutionSize(workflowTaskSlots);
    } else if (queue.equals(TaskQueues.BUILD) || queue.equals(TaskQueues.DOCS)) {
      builder.setMaxConcurrentActivityExecutionSize(commandSlots);
      // a command learns of its cancellation from a heartbeat's reply: send them often enough to stop it promptly
      builder.setMaxHeartbeatThrottleInterval(Duration.ofSeconds(5));
    } else {
      builder.setMaxConcurrentActivityExecutionSize(activitySlots);
      if (queue.equals(TaskQueues.SOURCE)) {
        // a fetch's progress (objects and bytes received) reaches `status` within seconds, not a minute
        builder.setMaxHeartbeatThrottleInterval(Duration.ofSeconds(5));
      }
    }
    return builder;
  }
}
