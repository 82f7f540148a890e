package dev.durablerelease.worker;

import dev.durablerelease.activities.WorkerContext;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Temporal server for a test: the embedded server on a loopback port, in real time, with a client and the
 * workers the test starts, all stopped on close.
 */
public final class LoopbackTemporal implements AutoCloseable {
  private final EmbeddedTemporal server;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final List<ReleaseWorkers> workers = new ArrayList<>();

  private LoopbackTemporal(EmbeddedTemporal server, WorkflowServiceStubs stubs, WorkflowClient client) {
    this.server = server;
    this.stubs = stubs;
    this.client = client;
  }

  public static LoopbackTemporal start() throws IOException {
    EmbeddedTemporal server = EmbeddedTemporal.start(0);
    TemporalConnection connection = TemporalConnection.embedded(server.target());
    WorkflowServiceStubs stubs = connection.connect();
    return new LoopbackTemporal(server, stubs, connection.client(stubs));
  }

  /** {@code host:port}, for TEMPORAL_ADDRESS. */
  public String target() {
    return server.target();
  }

  public WorkflowServiceStubs stubs() {
    return stubs;
  }

  public WorkflowClient client() {
    return client;
  }

  /** Starts workers for the given queues, as a worker host with this context would. */
  public ReleaseWorkers serve(WorkerContext context, List<String> queues) {
    ReleaseWorkers started = ReleaseWorkers.create(client, context, queues).start();
    workers.add(started);
    return started;
  }

  @Override
  public void close() {
    workers.forEach(ReleaseWorkers::close);
    stubs.shutdown();
    server.close();
  }
}
