package dev.durablerelease.testing;

import dev.durablerelease.activities.BuildActivitiesImpl;
import dev.durablerelease.activities.DocsActivitiesImpl;
import dev.durablerelease.activities.SignActivitiesImpl;
import dev.durablerelease.activities.SourceActivitiesImpl;
import dev.durablerelease.activities.UploadActivitiesImpl;
import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.activity.BuildActivities;
import dev.durablerelease.activity.DocsActivities;
import dev.durablerelease.activity.SignActivities;
import dev.durablerelease.activity.SourceActivities;
import dev.durablerelease.activity.UploadActivities;
import dev.durablerelease.command.CommandRunner;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.LocalArtifactStore;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert;

/**
 * Real activity implementations behind Temporal's activity test environment (so they see a real activity context),
 * with a store and work folder of their own under a test's temp folder.
 */
public final class StageHarness implements AutoCloseable {
  private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
  private final WorkerContext context;

  public StageHarness(Path root) {
    this(root, CommandRunner.sandboxed(), "test-worker");
  }

  /** A harness whose workers read this operator policy. */
  public StageHarness(Path root, Policy policy) {
    this(root, CommandRunner.sandboxed(), "test-worker", policy);
  }

  /** A harness on the same store and work folder as others on {@code root}, as another worker of the same host. */
  public StageHarness(Path root, CommandRunner commands, String identity) {
    this(root, commands, identity, Policy.builtInDev(Map.of()));
  }

  public StageHarness(Path root, CommandRunner commands, String identity, Policy policy) {
    this(root, localStore(root), commands, identity, policy);
  }

  /** A harness on another store (e.g. S3-compatible), with its work folder under {@code root}. */
  public StageHarness(Path root, ArtifactStore store) {
    this(root, store, CommandRunner.sandboxed(), "test-worker", Policy.builtInDev(Map.of()));
  }

  private StageHarness(Path root, ArtifactStore store, CommandRunner commands, String identity, Policy policy) {
    try {
      context = new WorkerContext(store, Files.createDirectories(root.resolve("work")), identity, commands, policy);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    environment.registerActivitiesImplementations(new SourceActivitiesImpl(context), new BuildActivitiesImpl(context),
        new DocsActivitiesImpl(context), new SignActivitiesImpl(context), new UploadActivitiesImpl(context));
  }

  private static ArtifactStore localStore(Path root) {
    try {
      return new LocalArtifactStore(root.resolve("store"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WorkerContext context() {
    return context;
  }

  public SourceActivities source() {
    return environment.newActivityStub(SourceActivities.class, options());
  }

  public BuildActivities build() {
    return environment.newActivityStub(BuildActivities.class, options());
  }

  public DocsActivities docs() {
    return environment.newActivityStub(DocsActivities.class, options());
  }

  public SignActivities sign() {
    return environment.newActivityStub(SignActivities.class, options());
  }

  public UploadActivities upload() {
    return environment.newActivityStub(UploadActivities.class, options());
  }

  /** Calls {@code listener} with the details of each heartbeat the activities send, read as {@code type}. */
  public <T> void onHeartbeat(Class<T> type, Consumer<T> listener) {
    environment.setActivityHeartbeatListener(type, listener::accept);
  }

  /** The non-retryable failure an activity call ends with. */
  public static ApplicationFailure failure(ThrowableAssert.ThrowingCallable call) {
    try {
      call.call();
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof ApplicationFailure app) {
        return app;
      }
      throw new AssertionError("activity failed without an ApplicationFailure", e);
    } catch (Throwable e) {
      throw new AssertionError("activity failed unexpectedly", e);
    }
    throw new AssertionError("activity succeeded but was expected to fail");
  }

  private static ActivityOptions options() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }

  @Override
  public void close() {
    environment.close();
  }
}
