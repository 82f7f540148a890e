package dev.durablerelease.activities;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import dev.durablerelease.store.BlobIntegrityException;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/**
 * The boundary every activity body runs through: measures the attempt for {@link StageRun}, and turns our failures
 * into Temporal's (non-retryable for {@link StageFailure} and corrupted blobs; retryable for I/O errors).
 */
public final class StageActivity {
  private final String identity;
  private final long startNanos = System.nanoTime();
  private final int attempt;

  private StageActivity(String identity) {
    this.identity = identity;
    this.attempt = Activity.getExecutionContext().getInfo().getAttempt();
  }

  /** A body that returns the stage's result and may throw I/O errors. */
  @FunctionalInterface
  public interface Body<T> {
    T run(StageActivity stage) throws IOException;
  }

  public static <T> T run(WorkerContext context, Body<T> body) {
    StageActivity stage = new StageActivity(context.identity());
    try {
      return body.run(stage);
    } catch (StageFailure e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), e.type(), e.getCause());
    } catch (IOException e) {
      throw failure(e);
    } catch (UncheckedIOException e) {
      throw failure(e.getCause());
    }
  }

  /** A damaged shared blob stops the stage; a damaged local copy was dropped, so a retry fetches the blob again. */
  private static RuntimeException failure(IOException e) {
    if (e instanceof BlobIntegrityException integrity && !integrity.localCopy()) {
      return ApplicationFailure.newNonRetryableFailure(integrity.getMessage(), Failures.DIGEST_MISMATCH);
    }
    return Activity.wrap(e);
  }

  /**
   * Like {@link #run}, but first looks for the result of an earlier run of the same stage with identical inputs
   * (when {@code reuse} is set, i.e. on resume) and returns it while every file it refers to is still in the store.
   * Every success is recorded for such a later reuse.
   */
  public static <T extends StageOutput> T reusable(WorkerContext context, String stageId, Object input, boolean reuse,
      Class<T> type, Body<T> body) {
    return run(context, stage -> {
      StageRecords records = new StageRecords(context.store());
      String key = StageRecords.key(stageId, input);
      if (reuse) {
        java.util.Optional<T> earlier = records.find(key, type);
        if (earlier.isPresent()) {
          // how the earlier run isolated project code stays part of what the result is
          StageRun run = stage.finished(true).withSandbox(earlier.get().run().sandbox());
          return type.cast(earlier.get().withRun(run));
        }
      }
      T result = body.run(stage);
      records.save(key, result);
      return result;
    });
  }

  /**
   * The body with a {@link Liveness} heartbeat beside it, for bodies that report no progress of their own. Command
   * and upload bodies heartbeat with their progress instead.
   */
  public static <T> Body<T> alive(Body<T> body) {
    return alive(Liveness.SHARED, body);
  }

  /** {@link #alive(Body)} with the ticks of this ticker. */
  static <T> Body<T> alive(Liveness.Ticker ticker, Body<T> body) {
    return stage -> {
      try (Liveness liveness = Liveness.start(Activity.getExecutionContext(), ticker)) {
        return body.run(stage);
      }
    };
  }

  /** Like {@link #alive(Body)}, with {@code progress} (when not null) as each heartbeat's details. */
  public static <T> Body<T> alive(Supplier<?> progress, Body<T> body) {
    return stage -> {
      try (Liveness liveness = Liveness.start(Activity.getExecutionContext(), Liveness.SHARED, progress)) {
        return body.run(stage);
      }
    };
  }

  /** How this attempt ran, measured up to now; call it last, when building the result. */
  public StageRun finished() {
    return finished(false);
  }

  private StageRun finished(boolean reused) {
    return new StageRun(identity, attempt, (System.nanoTime() - startNanos) / 1_000_000, reused);
  }

  public int attempt() {
    return attempt;
  }
}
