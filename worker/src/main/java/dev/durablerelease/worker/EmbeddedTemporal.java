package dev.durablerelease.worker;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's Java test server, in this process, listening on loopback only, with time skipping off and the release
 * search attributes registered: the embedded default when no {@code TEMPORAL_ADDRESS} is set. It keeps history in
 * memory, so its workflows end with the process ({@code release resume} picks up from the artifact store).
 *
 * <p>{@code TestServer.createPortBoundServer} would listen on every interface; the pieces it is built from are public
 * (in an {@code internal} package), so this class binds them to 127.0.0.1 and is the one place that uses them.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServicesStarter services;
  private final Server server;

  private EmbeddedTemporal(TestServicesStarter services, Server server) {
    this.services = services;
    this.server = server;
  }

  /** Starts the server on a loopback port; 0 picks a free one. */
  public static EmbeddedTemporal start(int port) throws IOException {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NetworkThreads.use(
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    try {
      EmbeddedTemporal embedded = new EmbeddedTemporal(services, builder.build().start());
      embedded.registerSearchAttributes();
      return embedded;
    } catch (IOException e) {
      services.close();
      throw new IOException("cannot start the embedded Temporal server on 127.0.0.1:" + port + ": " + e.getMessage()
          + (port != 0 ? "; is the port in use? choose another with --port" : ""), e);
    }
  }

  private void registerSearchAttributes() throws IOException {
    WorkflowServiceStubs stubs = TemporalConnection.embedded(target()).connect();
    try {
      SearchAttributes.register(stubs, TemporalConnection.DEFAULT_NAMESPACE);
    } finally {
      stubs.shutdown();
    }
  }

  /** {@code host:port} for clients. */
  public String target() {
    return "127.0.0.1:" + server.getPort();
  }

  public int port() {
    return server.getPort();
  }

  /** Blocks until the server stops (for {@code release dev-server}). */
  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    services.close();
  }
}
