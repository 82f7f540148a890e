package dev.durablerelease.activity;

/**
 * A failure a retry cannot fix, with its type from {@link dev.durablerelease.activity.Failures}. Integration code
 * throws it; the activity boundary turns it into a non-retryable Temporal failure with the same message.
 */
public class StageFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String type;

  public StageFailure(String type, String message) {
    super(message);
    this.type = type;
  }

  public StageFailure(String type, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
  }

  public String type() {
    return type;
  }
}
