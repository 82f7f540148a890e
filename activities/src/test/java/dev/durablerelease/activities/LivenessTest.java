package dev.durablerelease.activities;

import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.store.LocalArtifactStore;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body with nothing to report still heartbeats while it runs, so a dead worker is noticed at the heartbeat timeout.
 * The ticks are driven by hand: what is checked is what each tick does and when ticking stops, not timing.
 */
class LivenessTest {
  @TempDir
  Path tmp;

  private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
  private final AtomicInteger heartbeats = new AtomicInteger();
  private final HandTicker ticker = new HandTicker();
  /** Released by the test: until then the quiet body runs. */
  private final CountDownLatch bodyMayEnd = new CountDownLatch(1);

  @ActivityInterface
  public interface Quiet {
    /** Runs until the test lets it end, reporting nothing, as a clone or an archive write does. */
    String work(boolean alive);
  }

  /** A ticker whose ticks the test runs itself. */
  static final class HandTicker implements Liveness.Ticker {
    volatile Duration period;
    volatile Runnable tick;
    volatile boolean stopped;

    @Override
    public AutoCloseable every(Duration every, Runnable task) {
      period = every;
      tick = task;
      return () -> stopped = true;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    WorkerContext context = new WorkerContext(new LocalArtifactStore(tmp.resolve("store")),
        Files.createDirectories(tmp.resolve("work")), "test-worker");
    environment.registerActivitiesImplementations((Quiet) alive -> {
      StageActivity.Body<String> body = stage -> {
        try {
          bodyMayEnd.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return "done";
      };
      return StageActivity.run(context, alive ? StageActivity.alive(ticker, body) : body);
    });
    environment.setActivityHeartbeatListener(Object.class, details -> heartbeats.incrementAndGet());
  }

  @AfterEach
  void tearDown() {
    environment.close();
  }

  private CompletableFuture<String> work(Duration heartbeatTimeout, boolean alive) {
    ActivityOptions.Builder options = ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1));
    if (heartbeatTimeout != null) {
      options.setHeartbeatTimeout(heartbeatTimeout);
    }
    Quiet quiet = environment.newActivityStub(Quiet.class, options.build());
    return CompletableFuture.supplyAsync(() -> quiet.work(alive));
  }

  @Test
  void aQuietBodyTicksAtAThirdOfItsHeartbeatTimeoutEachTickHeartbeatsAndTheTicksStopWithTheBody()
      throws Exception {
    CompletableFuture<String> running = work(Duration.ofSeconds(30), true);
    await(() -> ticker.tick != null);
    assertThat(ticker.period).isEqualTo(Duration.ofSeconds(10));
    ticker.tick.run();
    await(() -> heartbeats.get() == 1);
    assertThat(ticker.stopped).isFalse();

    bodyMayEnd.countDown();
    assertThat(running.get()).isEqualTo("done");
    assertThat(ticker.stopped).as("the ticks stop with the body").isTrue();
  }

  @Test
  void withoutItAQuietBodySendsNoHeartbeatAndWithoutATimeoutNothingTicks() throws Exception {
    bodyMayEnd.countDown();
    assertThat(work(Duration.ofSeconds(30), false).get()).isEqualTo("done");
    assertThat(work(null, true).get()).isEqualTo("done");
    assertThat(ticker.tick).isNull();
    assertThat(heartbeats.get()).isZero();
  }

  @Test
  void theTickPeriodLeavesTwoMoreChancesWithinTheTimeoutAndIsNeverUnder50Ms() {
    assertThat(Liveness.period(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(20));
    assertThat(Liveness.period(Duration.ofMillis(90))).isEqualTo(Duration.ofMillis(50));
  }

  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
      Thread.sleep(10);
    }
    assertThat(condition.getAsBoolean()).as("condition reached").isTrue();
  }
}
