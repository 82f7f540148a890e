package dev.durablerelease.workflow;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.spec.Durations;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retries of each stage's activity, read where they are chosen. */
final class StageOptions {
  /** Transient faults (network, a worker dying) retry with backoff; the failure types a retry cannot fix do not. */
  private static final RetryOptions RETRY_TRANSIENT = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofSeconds(1))
      .setBackoffCoefficient(2.0)
      .setMaximumInterval(Duration.ofMinutes(1))
      .setMaximumAttempts(5)
      .setDoNotRetry(Failures.NON_RETRYABLE.toArray(String[]::new))
      .build();

  /** Project commands retry only when the worker died under them; a failing command is final. */
  private static final RetryOptions RETRY_COMMAND =
      RetryOptions.newBuilder(RETRY_TRANSIENT).setMaximumAttempts(3).build();

  /** Command stages heartbeat every 5 s, so a dead worker's attempt moves to another worker within half a minute. */
  private static final Duration COMMAND_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Source, sign and upload activities heartbeat from a background thread while they run (they have no progress of
   * their own to report), so a worker that dies under one is noticed within a minute instead of at start-to-close.
   */
  private static final Duration LIVENESS = Duration.ofMinutes(1);

  /** Time beyond the command's own limit for unpacking the archive and storing the outputs. */
  private static final Duration COMMAND_OVERHEAD = Duration.ofMinutes(10);

  // fetching and archiving a large repository takes minutes, not hours
  private static final ActivityOptions SOURCE = ActivityOptions.newBuilder()
      .setTaskQueue(TaskQueues.SOURCE)
      .setStartToCloseTimeout(Duration.ofMinutes(30))
      .setHeartbeatTimeout(LIVENESS)
      .setRetryOptions(RETRY_TRANSIENT)
      .build();

  // signing is a few calls to Sigstore's services per release; their outages retry with backoff
  private static final ActivityOptions SIGN = ActivityOptions.newBuilder()
      .setTaskQueue(TaskQueues.SIGN)
      .setStartToCloseTimeout(Duration.ofMinutes(10))
      .setHeartbeatTimeout(LIVENESS)
      .setRetryOptions(RETRY_TRANSIENT)
      .build();

  // uploads of large releases over slow links
  private static final ActivityOptions UPLOAD = ActivityOptions.newBuilder()
      .setTaskQueue(TaskQueues.UPLOAD)
      .setStartToCloseTimeout(Duration.ofHours(2))
      .setHeartbeatTimeout(LIVENESS)
      .setRetryOptions(RETRY_TRANSIENT)
      .build();

  // a policy check reads the worker's policy: seconds, or the worker is gone
  private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(1);

  private StageOptions() {}

  /** A check of the operator's policy on the queue of the domain that holds it. */
  static ActivityOptions check(String queue, String summary) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(CHECK_TIMEOUT)
        .setRetryOptions(RETRY_TRANSIENT)
        .setSummary(summary)
        .build();
  }

  /** A stage on the source queue; the summary is its line in the Temporal UI's timeline. */
  static ActivityOptions source(String summary) {
    return withSummary(SOURCE, summary);
  }

  /** A stage of the second builder, on its own queue; the same limits as the first's. */
  static ActivityOptions secondSource(String summary) {
    return ActivityOptions.newBuilder(SOURCE).setTaskQueue(TaskQueues.SOURCE_2).setSummary(summary).build();
  }

  static ActivityOptions sign(String summary) {
    return withSummary(SIGN, summary);
  }

  static ActivityOptions upload(String summary) {
    return withSummary(UPLOAD, summary);
  }

  /** A project command: its time limit comes from the spec. */
  static ActivityOptions command(String queue, String timeout, String summary) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(Durations.parse(timeout).plus(COMMAND_OVERHEAD))
        .setHeartbeatTimeout(COMMAND_HEARTBEAT_TIMEOUT)
        .setRetryOptions(RETRY_COMMAND)
        .setSummary(summary)
        .build();
  }

  private static ActivityOptions withSummary(ActivityOptions base, String summary) {
    return ActivityOptions.newBuilder(base).setSummary(summary).build();
  }
}
