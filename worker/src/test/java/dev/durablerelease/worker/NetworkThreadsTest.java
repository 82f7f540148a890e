package dev.durablerelease.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A command's gRPC traffic, the client's and the embedded server's, runs on threads that {@link NetworkThreads#stop()}
 * ends before the JVM exits: a thread still waiting in epoll would hold the exit for 300 ms (bench/README.md).
 */
class NetworkThreadsTest {
  @Test
  void clientAndEmbeddedServerTrafficRunsOnThreadsThatStopEnds() throws Exception {
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0)) {
      WorkflowServiceStubs stubs = TemporalConnection.embedded(server.target()).connect();
      stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      stubs.shutdown();
      assertThat(stubs.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }
    List<Thread> network = networkThreads();
    assertThat(network).as("threads named grpc-network, as NetworkThreads names them").isNotEmpty();

    NetworkThreads.stop();

    for (Thread thread : network) {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    }
    assertThat(network).noneMatch(Thread::isAlive);
    assertThat(networkThreads()).isEmpty();
  }

  @Test
  void aConnectionAfterStopGetsNewThreads() throws Exception {
    NetworkThreads.stop();
    try (EmbeddedTemporal server = EmbeddedTemporal.start(0)) {
      WorkflowServiceStubs stubs = TemporalConnection.embedded(server.target()).connect();
      assertThat(stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance())).isNotNull();
      stubs.shutdown();
    }
  }

  private static List<Thread> networkThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("grpc-network") && t.isAlive())
        .toList();
  }
}
