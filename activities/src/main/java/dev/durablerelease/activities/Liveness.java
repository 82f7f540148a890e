package dev.durablerelease.activities;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats from a background thread while an activity body runs, for bodies that report no progress of their own
 * (a clone, an archive write, a Sigstore call, reading back an upload): a worker that dies mid-activity then stops
 * heartbeating and Temporal retries the activity elsewhere within its heartbeat timeout, not its start-to-close
 * timeout. It says that the worker lives, not that the body advances; a body stuck for good still ends at
 * start-to-close. Temporal's heartbeat context is thread-safe and throttles what it sends.
 */
final class Liveness implements AutoCloseable {
  /** Runs a task at a fixed period until the returned handle is closed. */
  interface Ticker {
    AutoCloseable every(Duration period, Runnable tick);
  }

  /** One daemon thread ticks for every activity of the worker. */
  static final Ticker SHARED = new Ticker() {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "activity-liveness");
      t.setDaemon(true);
      return t;
    });

    @Override
    public AutoCloseable every(Duration period, Runnable tick) {
      ScheduledFuture<?> ticks = executor.scheduleAtFixedRate(tick, period.toMillis(), period.toMillis(),
          TimeUnit.MILLISECONDS);
      return () -> ticks.cancel(false);
    }
  };

  private final AutoCloseable ticks;

  private Liveness(AutoCloseable ticks) {
    this.ticks = ticks;
  }

  /** Heartbeats three times per heartbeat timeout; does nothing for an activity scheduled without one. */
  static Liveness start(ActivityExecutionContext activity, Ticker ticker) {
    return start(activity, ticker, () -> null, Duration.ofMillis(Long.MAX_VALUE));
  }

  /**
   * Like {@link #start(ActivityExecutionContext, Ticker)}, with the body's progress as each heartbeat's details, taken
   * at least every second (the SDK sends the latest at most once per throttle interval).
   */
  static Liveness start(ActivityExecutionContext activity, Ticker ticker, Supplier<?> progress) {
    return start(activity, ticker, progress, Duration.ofSeconds(1));
  }

  private static Liveness start(ActivityExecutionContext activity, Ticker ticker, Supplier<?> details,
      Duration longestPeriod) {
    Duration timeout = activity.getInfo().getHeartbeatTimeout();
    if (timeout.isZero()) {
      return new Liveness(null);
    }
    Duration period = period(timeout).compareTo(longestPeriod) < 0 ? period(timeout) : longestPeriod;
    return new Liveness(ticker.every(period, () -> {
      try {
        activity.heartbeat(details.get());
      } catch (ActivityCompletionException e) {
        // cancelled or timed out: the body ends by itself (bounded by start-to-close); nothing to report from here
      }
    }));
  }

  /** A third of the heartbeat timeout, so that a late tick still lands within it; at least 50 ms. */
  static Duration period(Duration heartbeatTimeout) {
    return Duration.ofMillis(Math.max(50, heartbeatTimeout.toMillis() / 3));
  }

  @Override
  public void close() {
    if (ticks != null) {
      try {
        ticks.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop the liveness ticks", e);
      }
    }
  }
}
