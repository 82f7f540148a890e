package dev.durablerelease.activities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.store.LocalArtifactStore;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A body with nothing to report still heartbeats while it runs, so a dead worker is noticed at the heartbeat timeout. */
class LivenessTest {
  @TempDir
  Path tmp;

  private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
  private final AtomicInteger heartbeats = new AtomicInteger();

  @ActivityInterface
  public interface Quiet {
    /** Sleeps, reporting nothing, as a clone or an archive write does; {@code alive} adds the liveness heartbeat. */
    String work(long millis, boolean alive);
  }

  @BeforeEach
  void setUp() throws Exception {
    WorkerContext context = new WorkerContext(new LocalArtifactStore(tmp.resolve("store")),
        Files.createDirectories(tmp.resolve("work")), "test-worker");
    environment.registerActivitiesImplementations((Quiet) (millis, alive) -> {
      StageActivity.Body<String> body = stage -> {
        try {
          Thread.sleep(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "done";
      };
      return StageActivity.run(context, alive ? StageActivity.alive(body) : body);
    });
    environment.setActivityHeartbeatListener(Object.class, details -> heartbeats.incrementAndGet());
  }

  @AfterEach
  void tearDown() {
    environment.close();
  }

  private Quiet quiet(Duration heartbeatTimeout) {
    ActivityOptions.Builder options = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1));
    if (heartbeatTimeout != null) {
      options.setHeartbeatTimeout(heartbeatTimeout);
    }
    return environment.newActivityStub(Quiet.class, options.build());
  }

  @Test
  void aQuietBodyHeartbeatsWithinEveryHeartbeatTimeoutWhileItRuns() throws Exception {
    // Temporal sends at most one heartbeat per 0.8 timeout of those it is given (three per timeout here)
    assertThat(quiet(Duration.ofMillis(600)).work(1500, true)).isEqualTo("done");
    assertThat(heartbeats.get()).isBetween(2, 4);

    Thread.sleep(300); // a tick under way as the body ended lands
    int afterwards = heartbeats.get();
    Thread.sleep(1000);
    assertThat(heartbeats.get()).as("the ticks stop with the body").isEqualTo(afterwards);
  }

  @Test
  void withoutItAQuietBodySendsNoHeartbeatAndWithoutATimeoutNothingTicks() {
    assertThat(quiet(Duration.ofMillis(600)).work(1000, false)).isEqualTo("done");
    assertThat(quiet(null).work(1000, true)).isEqualTo("done");
    assertThat(heartbeats.get()).isZero();
  }
}
