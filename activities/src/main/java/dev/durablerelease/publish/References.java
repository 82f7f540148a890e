package dev.durablerelease.publish;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Secrets named in the operator's policy by reference ({@code env:NAME}, {@code file:/PATH}), read on the upload worker. */
final class References {
  private References() {}

  /** The secret's value; a missing variable or file is a clear, non-retryable failure that never shows a secret. */
  static String resolve(String reference, String field, Map<String, String> env) {
    if (reference.startsWith("env:")) {
      String name = reference.substring("env:".length());
      String value = env.get(name);
      if (value == null || value.isEmpty()) {
        throw new StageFailure(Failures.TARGET_REFUSED, field + " " + reference + ": the variable " + name
            + " is not set on this upload worker; set it in the worker's environment (never in the policy file)");
      }
      return value;
    }
    return new String(read(file(reference, field), field, reference), StandardCharsets.UTF_8).strip();
  }

  /** The file behind a {@code file:} reference, which must exist on this worker. */
  static Path file(String reference, String field) {
    if (!reference.startsWith("file:")) {
      throw new StageFailure(Failures.INVALID_SPEC, field + " must be file:/PATH");
    }
    Path path = Path.of(reference.substring("file:".length()));
    if (!Files.isReadable(path)) {
      throw new StageFailure(Failures.TARGET_REFUSED, field + " " + reference + ": " + path
          + " does not exist or cannot be read on this upload worker");
    }
    return path;
  }

  private static byte[] read(Path path, String field, String reference) {
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new StageFailure(Failures.TARGET_REFUSED, field + " " + reference + ": " + path
          + " does not exist on this upload worker");
    } catch (IOException e) {
      throw new StageFailure(Failures.TARGET_REFUSED, field + " " + reference + ": cannot read " + path + ": "
          + e.getMessage());
    }
  }
}
