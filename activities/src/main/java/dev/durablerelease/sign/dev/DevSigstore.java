package dev.durablerelease.sign.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A complete Sigstore instance on loopback, in this process: an OIDC issuer that mints tokens for a local identity, a
 * Fulcio-compatible CA over gRPC with TLS and a CT log key, a Rekor v1 transparency log and an RFC 3161 timestamp
 * authority, with the {@code trusted_root.json} and {@code signing_config.json} that describe them.
 *
 * <p>Its keys live only in memory and die with it, so a signature it made is trusted by no one but whoever holds the
 * trusted root it wrote: this is for {@code sign: {mode: dev}} (signing for real on a machine with no network) and for
 * tests, never for a release anyone else is asked to trust.
 */
public final class DevSigstore implements AutoCloseable {
  /** Written into the trusted root's CA and TSA names, so that anyone who opens it sees what it is. */
  public static final String LABEL = "durable-release dev signing, trusted by no one but this machine";
  public static final String ISSUER = "https://oidc.dev.durable-release.invalid";
  /** What cosign's {@code --trusted-root} and {@code release verify --trusted-root} take. */
  public static final String TRUSTED_ROOT_FILE = "trusted_root.json";
  /** What sigstore-python's {@code --trust-config} takes: the trusted root and the signing config in one file. */
  public static final String TRUST_CONFIG_FILE = "trust_config.json";
  public static final String SIGNING_CONFIG_FILE = "signing_config.json";

  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final String HOST = "127.0.0.1";
  /** Who runs the services, as a signing config names it: a scheme-less URI. */
  private static final String OPERATOR = "dev.durable-release.invalid";

  private final Instant validFrom;
  private final DevIdentityProvider identities = new DevIdentityProvider(ISSUER);
  private final KeyPair caKeys = DevKeys.newKeyPair();
  private final KeyPair ctKeys = DevKeys.newKeyPair();
  private final KeyPair logKeys = DevKeys.newKeyPair();
  private final X509Certificate caCertificate;
  private final DevTimestampAuthority timestamps;
  private final Server caServer;
  private final HttpServer httpServer;

  /**
   * How the stack behaves. Defaults: certificates valid for 10 minutes from the request, as Fulcio's; no faults.
   *
   * @param certificateStart when issued certificates start, relative to the request (negative: backdated)
   * @param certificateLifetime how long they are valid
   * @param caInterceptor intercepts the CA's gRPC calls (tests inject faults a real CA can have), or null
   */
  public record Options(Duration certificateStart, Duration certificateLifetime, ServerInterceptor caInterceptor) {
    public static final Options DEFAULT = new Options(Duration.ZERO, Duration.ofMinutes(10), null);

    public Options withCertificateWindow(Duration start, Duration lifetime) {
      return new Options(start, lifetime, caInterceptor);
    }

    public Options withCaInterceptor(ServerInterceptor interceptor) {
      return new Options(certificateStart, certificateLifetime, interceptor);
    }
  }

  private DevSigstore(Options options) throws IOException {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    // the trust window opens a day back, so that backdated test certificates still chain
    validFrom = now.minus(Duration.ofDays(1));
    Instant validTo = now.plus(Duration.ofDays(7));
    caCertificate = DevKeys.selfSignedCa(caKeys, LABEL, "dev CA", validFrom, validTo);
    timestamps = new DevTimestampAuthority(caKeys, caCertificate, LABEL, validFrom, validTo);

    LoopbackTls tls = LoopbackTls.get();
    DevCertificateAuthority ca = new DevCertificateAuthority(identities, caKeys, caCertificate, ctKeys,
        new DevCertificateAuthority.CertificateWindow(options.certificateStart(), options.certificateLifetime()));
    NettyServerBuilder grpc = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
        .useTransportSecurity(new ByteArrayInputStream(tls.certificatePem().getBytes(StandardCharsets.US_ASCII)),
            new ByteArrayInputStream(tls.privateKeyPem().getBytes(StandardCharsets.US_ASCII)));
    grpc.addService(options.caInterceptor() == null ? ca.bindService()
        : ServerInterceptors.intercept(ca, options.caInterceptor()));
    caServer = grpc.build().start();

    DevTransparencyLog log = new DevTransparencyLog(logKeys, HOST);
    httpServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    httpServer.createContext("/api/v1/log/entries", log::handle);
    httpServer.createContext("/api/v1/timestamp", timestamps::handle);
    httpServer.start();
  }

  /** Starts the stack on free loopback ports. */
  public static DevSigstore start(Options options) {
    try {
      return new DevSigstore(options);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the dev Sigstore stack on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  public static DevSigstore start() {
    return start(Options.DEFAULT);
  }

  /** The identity dev releases are signed as: an e-mail address naming this machine. */
  public static String localIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return "release-signer@" + host.replaceAll("[^A-Za-z0-9.-]", "-") + ".dev.durable-release.invalid";
  }

  /** An identity token from the stack's issuer, valid for {@code lifetime} (negative: already expired). */
  public String mintToken(String email, Duration lifetime) {
    return identities.mint(email, lifetime);
  }

  public String caUrl() {
    return "https://" + HOST + ":" + caServer.getPort();
  }

  public String logUrl() {
    return "http://" + HOST + ":" + httpServer.getAddress().getPort();
  }

  public String timestampUrl() {
    return logUrl() + "/api/v1/timestamp";
  }

  /** {@code trusted_root.json}: the CA, the CT log, the transparency log and the TSA, with their keys. */
  public byte[] trustedRootJson() {
    ObjectNode root = JSON.createObjectNode()
        .put("mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1");
    root.putArray("tlogs").add(logEntry(logUrl(), logKeys.getPublic()));
    ObjectNode ca = root.putArray("certificateAuthorities").addObject();
    ca.putObject("subject").put("organization", LABEL).put("commonName", "dev CA");
    ca.put("uri", caUrl());
    certificates(ca.putObject("certChain").putArray("certificates"), List.of(caCertificate));
    ca.putObject("validFor").put("start", validFrom.toString());
    root.putArray("ctlogs").add(logEntry("https://ct.dev.durable-release.invalid", ctKeys.getPublic()));
    ObjectNode tsa = root.putArray("timestampAuthorities").addObject();
    tsa.putObject("subject").put("organization", LABEL).put("commonName", "dev timestamp authority");
    tsa.put("uri", timestampUrl());
    certificates(tsa.putObject("certChain").putArray("certificates"),
        List.of(timestamps.certificate(), caCertificate));
    tsa.putObject("validFor").put("start", validFrom.toString());
    return bytes(root);
  }

  /** {@code signing_config.json}: where to get certificates, log entries and timestamps. */
  public byte[] signingConfigJson() {
    ObjectNode config = JSON.createObjectNode()
        .put("mediaType", "application/vnd.dev.sigstore.signingconfig.v0.2+json");
    service(config.putArray("caUrls"), caUrl());
    service(config.putArray("oidcUrls"), ISSUER);
    service(config.putArray("rekorTlogUrls"), logUrl());
    service(config.putArray("tsaUrls"), timestampUrl());
    config.putObject("rekorTlogConfig").put("selector", "ANY");
    config.putObject("tsaConfig").put("selector", "ANY");
    return bytes(config);
  }

  /**
   * {@code trust_config.json}: a ClientTrustConfig, the trusted root and the signing config together. sigstore-python
   * reads a private instance's trust only from such a file ({@code --trust-config}), where cosign and sigstore-java
   * take the trusted root alone.
   */
  public byte[] clientTrustConfigJson() {
    try {
      ObjectNode config = JSON.createObjectNode()
          .put("mediaType", "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json");
      config.set("trustedRoot", JSON.readTree(trustedRootJson()));
      config.set("signingConfig", JSON.readTree(signingConfigJson()));
      return bytes(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the trusted root, the signing config and the client trust config into a folder; returns the folder. */
  public Path writeTrustFiles(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.write(dir.resolve(TRUSTED_ROOT_FILE), trustedRootJson());
    Files.write(dir.resolve(SIGNING_CONFIG_FILE), signingConfigJson());
    Files.write(dir.resolve(TRUST_CONFIG_FILE), clientTrustConfigJson());
    return dir;
  }

  @Override
  public void close() {
    httpServer.stop(0);
    caServer.shutdownNow();
    try {
      caServer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private ObjectNode logEntry(String baseUrl, PublicKey key) {
    ObjectNode log = JSON.createObjectNode().put("baseUrl", baseUrl).put("hashAlgorithm", "SHA2_256");
    log.putObject("publicKey")
        .put("rawBytes", Base64.getEncoder().encodeToString(key.getEncoded()))
        .put("keyDetails", "PKIX_ECDSA_P256_SHA_256")
        .putObject("validFor").put("start", validFrom.toString());
    log.putObject("logId").put("keyId", Base64.getEncoder().encodeToString(DevKeys.sha256(key.getEncoded())));
    return log;
  }

  private void service(ArrayNode list, String url) {
    // operator is required (sigstore_trustroot.proto); sigstore-python refuses a signing config without it
    list.addObject().put("url", url).put("majorApiVersion", 1).put("operator", OPERATOR).putObject("validFor")
        .put("start", validFrom.toString());
  }

  private static void certificates(ArrayNode list, List<X509Certificate> chain) {
    try {
      for (X509Certificate certificate : chain) {
        list.addObject().put("rawBytes", Base64.getEncoder().encodeToString(certificate.getEncoded()));
      }
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a dev certificate", e);
    }
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
