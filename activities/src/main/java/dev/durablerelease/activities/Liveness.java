package dev.durablerelease.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Heartbeats from a background thread while an activity body runs, for bodies that report no progress of their own
 * (a clone, an archive write, a Sigstore call, reading back an upload): a worker that dies mid-activity then stops
 * heartbeating and Temporal retries the activity elsewhere within its heartbeat timeout, not its start-to-close
 * timeout. It says that the worker lives, not that the body advances; a body stuck for good still ends at
 * start-to-close. Temporal's heartbeat context is thread-safe and throttles what it sends.
 */
final class Liveness implements AutoCloseable {
  private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "activity-liveness");
    t.setDaemon(true);
    return t;
  });

  private final ScheduledFuture<?> ticks;

  private Liveness(ScheduledFuture<?> ticks) {
    this.ticks = ticks;
  }

  /** Heartbeats three times per heartbeat timeout; does nothing for an activity scheduled without one. */
  static Liveness start(ActivityExecutionContext activity) {
    Duration timeout = activity.getInfo().getHeartbeatTimeout();
    if (timeout.isZero()) {
      return new Liveness(null);
    }
    long every = Math.max(50, timeout.toMillis() / 3);
    return new Liveness(TICKER.scheduleAtFixedRate(() -> {
      try {
        activity.heartbeat(null);
      } catch (ActivityCompletionException e) {
        // cancelled or timed out: the body ends by itself (bounded by start-to-close); nothing to report from here
      }
    }, every, every, TimeUnit.MILLISECONDS));
  }

  @Override
  public void close() {
    if (ticks != null) {
      ticks.cancel(false);
    }
  }
}
