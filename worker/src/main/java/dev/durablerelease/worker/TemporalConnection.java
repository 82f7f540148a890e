package dev.durablerelease.worker;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Map;
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

  /** Opens service stubs; the caller shuts them down. */
  public WorkflowServiceStubs connect() throws IOException {
    WorkflowServiceStubsOptions.Builder options = WorkflowServiceStubsOptions.newBuilder().setTarget(address);
    if (usesTls()) {
      options.setSslContext(sslContext());
    }
    return WorkflowServiceStubs.newServiceStubs(options.build());
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
