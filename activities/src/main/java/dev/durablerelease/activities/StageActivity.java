package dev.durablerelease.activities;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.store.BlobIntegrityException;
import dev.durablerelease.workflow.StageRun;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;

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
    } catch (BlobIntegrityException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), Failures.DIGEST_MISMATCH);
    } catch (IOException e) {
      throw Activity.wrap(e);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof BlobIntegrityException integrity) {
        throw ApplicationFailure.newNonRetryableFailure(integrity.getMessage(), Failures.DIGEST_MISMATCH);
      }
      throw Activity.wrap(e.getCause());
    }
  }

  /** How this attempt ran, measured up to now; call it last, when building the result. */
  public StageRun finished() {
    return new StageRun(identity, attempt, (System.nanoTime() - startNanos) / 1_000_000);
  }

  public int attempt() {
    return attempt;
  }
}
