package dev.durablerelease.worker;

import dev.durablerelease.activities.WorkerContext;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.util.List;

/**
 * A client connection for one CLI command. With no {@code TEMPORAL_ADDRESS} it is the embedded default: Temporal's
 * server on loopback in this process plus workers for every queue beside it, all stopped on {@link #close()}.
 */
public final class TemporalSession implements AutoCloseable {
  private final EmbeddedTemporal embedded;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final ReleaseWorkers workers;

  private TemporalSession(EmbeddedTemporal embedded, WorkflowServiceStubs stubs, WorkflowClient client,
      ReleaseWorkers workers) {
    this.embedded = embedded;
    this.stubs = stubs;
    this.client = client;
    this.workers = workers;
  }

  /**
   * Connects to the configured cluster, or starts the embedded server and all workers when none is configured.
   *
   * @param context what embedded workers use (store, work folder)
   */
  public static TemporalSession open(TemporalConnection connection, WorkerContext context) throws IOException {
    if (!connection.isEmbedded()) {
      WorkflowServiceStubs stubs = connection.connect();
      return new TemporalSession(null, stubs, connection.client(stubs), null);
    }
    EmbeddedTemporal embedded = EmbeddedTemporal.start(0);
    try {
      TemporalConnection local = TemporalConnection.embedded(embedded.target());
      WorkflowServiceStubs stubs = local.connect();
      WorkflowClient client = local.client(stubs);
      ReleaseWorkers workers = ReleaseWorkers.createBesideEmbeddedServer(client, context).start();
      return new TemporalSession(embedded, stubs, client, workers);
    } catch (IOException | RuntimeException e) {
      embedded.close();
      throw e;
    }
  }

  public WorkflowClient client() {
    return client;
  }

  public boolean isEmbedded() {
    return embedded != null;
  }

  /** Where the server is, for messages. */
  public String describe() {
    return embedded != null
        ? "embedded Temporal on " + embedded.target()
        : "Temporal at " + stubs.getOptions().getTarget() + " (namespace " + client.getOptions().getNamespace() + ")";
  }

  public List<String> servedQueues() {
    return workers == null ? List.of() : List.copyOf(workers.queues());
  }

  @Override
  public void close() {
    if (workers != null) {
      workers.close();
    }
    stubs.shutdown();
    if (embedded != null) {
      embedded.close();
    }
  }
}
