package dev.durablerelease.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * How to reach Temporal: the same variables as the Temporal CLI ({@code TEMPORAL_ADDRESS}, {@code TEMPORAL_NAMESPACE},
 * {@code TEMPORAL_TLS_CERT}, {@code TEMPORAL_TLS_KEY}, {@code TEMPORAL_TLS_CA}). With no address, callers start the
 * embedded server instead.
 *
 * @param address host:port of the frontend, or null for the embedded server
 * @param namespace Temporal namespace
 * @param tlsCert client certificate (PEM) for mTLS, or null
 * @param tlsKey client key (PKCS#8 PEM), or null
 * @param tlsCa CA certificate (PEM) to trust instead of the system's, or null
 */
public record TemporalConnection(String address, String namespace, Path tlsCert, Path tlsKey, Path tlsCa) {

  public static final String DEFAULT_NAMESPACE = "default";

  /** How long the first call may take to show that a server answers. */
  private static final Duration REACH_TIMEOUT = Duration.ofSeconds(10);

  /** Reads the connection from environment variables. */
  public static TemporalConnection fromEnvironment(Map<String, String> env) {
    String address = blankToNull(env.get("TEMPORAL_ADDRESS"));
    String namespace = blankToNull(env.get("TEMPORAL_NAMESPACE"));
    return new TemporalConnection(address, namespace == null ? DEFAULT_NAMESPACE : namespace,
        path(env.get("TEMPORAL_TLS_CERT")), path(env.get("TEMPORAL_TLS_KEY")), path(env.get("TEMPORAL_TLS_CA")));
  }

  public static TemporalConnection embedded(String target) {
    return new TemporalConnection(target, DEFAULT_NAMESPACE, null, null, null);
  }

  public boolean isEmbedded() {
    return address == null;
  }

  public boolean usesTls() {
    return tlsCert != null || tlsCa != null;
  }

  /**
   * Opens service stubs, after one call that shows a Temporal server answers (the stubs alone connect lazily, and the
   * SDK's calls retry an absent server for a minute); the caller shuts them down.
   *
   * @throws TemporalUnreachableException when nothing answers at the address as a Temporal server, within seconds
   */
  public WorkflowServiceStubs connect() throws IOException {
    WorkflowServiceStubs stubs = lazyStubs();
    try {
      stubs.blockingStub().withDeadlineAfter(REACH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
      return stubs;
    } catch (StatusRuntimeException e) {
      stubs.shutdownNow();
      throw new TemporalUnreachableException(address, why(e), e);
    }
  }

  /** Service stubs that connect with their first call (for a server that is still starting: {@link DevServer}). */
  WorkflowServiceStubs lazyStubs() throws IOException {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(address)
        .setChannelInitializer(NetworkThreads::use);
    if (usesTls()) {
      options.setSslContext(sslContext());
    }
    return WorkflowServiceStubs.newServiceStubs(options.build());
  }

  /** The reason a first call failed, in a few words: the innermost cause says it best (connection refused...). */
  private static String why(StatusRuntimeException e) {
    if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
      return "no answer within " + REACH_TIMEOUT.toSeconds() + " s";
    }
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause == e) {
      String description = String.valueOf(e.getStatus().getDescription());
      return e.getStatus().getCode() + ": " + description.lines().findFirst().orElse(description);
    }
    if (cause instanceof UnknownHostException) {
      return "unknown host " + cause.getMessage();
    }
    // "finishConnect(..) failed: Connection refused": the last part says it
    String message = String.valueOf(cause.getMessage());
    return message.substring(message.lastIndexOf(": ") + 1).trim();
  }

  public WorkflowClient client(WorkflowServiceStubs stubs) {
    return WorkflowClient.newInstance(stubs,
        WorkflowClientOptions.newBuilder().setNamespace(namespace).setIdentity(identity()).build());
  }

  /** {@code pid@host}, as Temporal's default, so the UI and our checklist name the same worker. */
  public static String identity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return ManagementFactory.getRuntimeMXBean().getPid() + "@" + host;
  }

  private SslContext sslContext() throws IOException {
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IOException("TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together; set both for mTLS or neither");
    }
    try (InputStream cert = tlsCert == null ? null : Files.newInputStream(tlsCert);
        InputStream key = tlsKey == null ? null : Files.newInputStream(tlsKey)) {
      SimpleSslContextBuilder builder = cert == null
          ? SimpleSslContextBuilder.noKeyOrCertChain()
          : SimpleSslContextBuilder.forPKCS8(cert, key);
      if (tlsCa != null) {
        builder.setTrustManager(trustManager(tlsCa).getTrustManagers()[0]);
      }
      return builder.build();
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot use TEMPORAL_TLS_CA " + tlsCa + ": " + e.getMessage(), e);
    }
  }

  private static TrustManagerFactory trustManager(Path ca) throws IOException, java.security.GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(ca)) {
      int i = 0;
      for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trust.setCertificateEntry("ca-" + i++, (X509Certificate) cert);
      }
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return tmf;
  }

  private static Path path(String value) {
    return blankToNull(value) == null ? null : Path.of(value);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
