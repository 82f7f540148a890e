package dev.durablerelease.sign.dev;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * The TLS identity of the dev CA's gRPC endpoint on 127.0.0.1, one per process. sigstore-java's Fulcio client always
 * uses TLS with the JVM's default trust, so this process's default trust store becomes the previous one (normally the
 * JDK's public CAs) plus this one certificate: public endpoints stay trusted.
 */
final class LoopbackTls {
  private static LoopbackTls instance;

  private final KeyPair keys = DevKeys.newKeyPair();
  private final X509Certificate certificate;

  private LoopbackTls() throws IOException, GeneralSecurityException {
    X500Name name = DevKeys.name("durable-release dev signing", "127.0.0.1");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, DevKeys.serial(),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(7))), name, keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    certificate = DevKeys.certificate(builder, keys.getPrivate());
    trustInThisProcess(certificate);
  }

  static synchronized LoopbackTls get() {
    if (instance == null) {
      try {
        instance = new LoopbackTls();
      } catch (IOException | GeneralSecurityException e) {
        throw new IllegalStateException("cannot set up TLS for the dev CA: " + e.getMessage(), e);
      }
    }
    return instance;
  }

  String certificatePem() {
    return DevKeys.pem(certificate);
  }

  String privateKeyPem() {
    return "-----BEGIN PRIVATE KEY-----\n"
        + java.util.Base64.getMimeEncoder().encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static void trustInThisProcess(X509Certificate certificate) throws IOException, GeneralSecurityException {
    TrustManagerFactory current = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    current.init((KeyStore) null);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    int i = 0;
    for (TrustManager manager : current.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        for (X509Certificate accepted : x509.getAcceptedIssuers()) {
          trust.setCertificateEntry("trusted-" + i++, accepted);
        }
      }
    }
    trust.setCertificateEntry("durable-release-dev-ca-endpoint", certificate);
    Path file = Files.createTempFile("durable-release-dev-trust", ".p12");
    file.toFile().deleteOnExit();
    char[] password = "dev-trust".toCharArray();
    try (OutputStream out = Files.newOutputStream(file)) {
      trust.store(out, password);
    }
    System.setProperty("javax.net.ssl.trustStore", file.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", new String(password));
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
  }
}
