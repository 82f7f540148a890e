package dev.durablerelease.cli;

import dev.durablerelease.worker.TemporalConnection;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.util.Map;

/** A connection to the Temporal server at TEMPORAL_ADDRESS, for commands that act on releases already started. */
final class Cluster implements AutoCloseable {
  private final WorkflowServiceStubs stubs;
  private final WorkflowClient client;

  private Cluster(WorkflowServiceStubs stubs, WorkflowClient client) {
    this.stubs = stubs;
    this.client = client;
  }

  static Cluster connect(Map<String, String> env, String command) throws IOException {
    TemporalConnection connection = TemporalConnection.fromEnvironment(env);
    if (connection.isEmbedded()) {
      throw new UserError(command + " needs TEMPORAL_ADDRESS (a cluster, or `release dev-server`); the embedded"
          + " server lives only inside `release run`");
    }
    WorkflowServiceStubs stubs = connection.connect();
    return new Cluster(stubs, connection.client(stubs));
  }

  WorkflowServiceStubs stubs() {
    return stubs;
  }

  WorkflowClient client() {
    return client;
  }

  String namespace() {
    return client.getOptions().getNamespace();
  }

  @Override
  public void close() {
    stubs.shutdown();
  }
}
