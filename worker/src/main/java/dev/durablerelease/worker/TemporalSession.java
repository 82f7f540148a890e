package dev.durablerelease.worker;

import dev.durablerelease.activities.WorkerContext;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.util.List;

/**
 * A client connection for one CLI command. With no {@code TEMPORAL_ADDRESS} it is the embedded default: a Temporal
 * server on loopback ({@link LocalServer}) plus workers for every queue in this process, all stopped on
 * {@link #close()} (the dev server only when no other process uses it).
 */
public final class TemporalSession implements AutoCloseable {
  private final AutoCloseable server;
  private final String serverDescription;
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;
  private final ReleaseWorkers workers;

  private TemporalSession(AutoCloseable server, String serverDescription, WorkflowServiceStubs stubs,
      WorkflowClient client, ReleaseWorkers workers) {
    this.server = server;
    this.serverDescription = serverDescription;
    this.stubs = stubs;
    this.client = client;
    this.workers = workers;
  }

  /**
   * Connects to the configured cluster, or starts the local server and all workers when none is configured.
   *
   * @param context what embedded workers use (store, work folder)
   * @param local which server to start when no cluster is configured
   */
  public static TemporalSession open(TemporalConnection connection, WorkerContext context, LocalServer local)
      throws IOException {
    if (!connection.isEmbedded()) {
      WorkflowServiceStubs stubs = connection.connect();
      return new TemporalSession(null, null, stubs, connection.client(stubs), null);
    }
    if (local.durable()) {
      DevServer dev = DevServer.open(local.temporalCli(), local.folder(), 0, 0);
      return withWorkers(dev, dev.target(), "the Temporal dev server on " + dev.target() + " (history in "
          + dev.database() + "); Temporal UI at " + dev.uiUrl(), context);
    }
    EmbeddedTemporal embedded = EmbeddedTemporal.start(0);
    return withWorkers(embedded, embedded.target(), "Temporal's Java test server on " + embedded.target()
        + " in this process. " + LocalServer.JAVA_TEST_SERVER_LIMITS, context);
  }

  private static TemporalSession withWorkers(AutoCloseable server, String target, String description,
      WorkerContext context) throws IOException {
    try {
      TemporalConnection local = TemporalConnection.embedded(target);
      WorkflowServiceStubs stubs = local.connect();
      WorkflowClient client = local.client(stubs);
      ReleaseWorkers workers = ReleaseWorkers.createBesideEmbeddedServer(client, context).start();
      return new TemporalSession(server, description, stubs, client, workers);
    } catch (RuntimeException e) {
      closeServer(server);
      throw e;
    }
  }

  public WorkflowClient client() {
    return client;
  }

  /** Where the server is, for messages; for a server of our own, what it keeps and where its UI is. */
  public String describe() {
    return server != null ? serverDescription
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
    if (server != null) {
      closeServer(server);
    }
  }

  private static void closeServer(AutoCloseable server) {
    try {
      server.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the Temporal server: " + e.getMessage(), e);
    }
  }
}
