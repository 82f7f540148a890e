package dev.durablerelease.sign.dev;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/** An RFC 3161 timestamp authority ({@code POST /api/v1/timestamp}), with a leaf certificate under the dev CA. */
final class DevTimestampAuthority {
  /** A policy OID for the dev TSA's tokens (an arbitrary arc under the example enterprise number 32473). */
  private static final String POLICY = "1.3.6.1.4.1.32473.1.1";

  private final TimeStampTokenGenerator generator;
  private final X509Certificate certificate;
  private final AtomicLong serial = new AtomicLong(1);

  DevTimestampAuthority(KeyPair caKeys, X509Certificate caCertificate, String label, Instant notBefore,
      Instant notAfter) {
    KeyPair keys = DevKeys.newKeyPair();
    try {
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(caCertificate, DevKeys.serial(),
          Date.from(notBefore), Date.from(notAfter), DevKeys.name(label, "dev timestamp authority"),
          keys.getPublic());
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      // RFC 3161 requires the timeStamping purpose, and as the only purpose, critical
      builder.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
      certificate = DevKeys.certificate(builder, caKeys.getPrivate());
      DigestCalculator sha256 = new JcaDigestCalculatorProviderBuilder().build()
          .get(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
      generator = new TimeStampTokenGenerator(
          new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder().build())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()), certificate),
          sha256, new org.bouncycastle.asn1.ASN1ObjectIdentifier(POLICY));
    } catch (IOException | OperatorCreationException | TSPException | java.security.cert.CertificateException e) {
      throw new IllegalStateException("cannot set up the dev timestamp authority", e);
    }
  }

  X509Certificate certificate() {
    return certificate;
  }

  void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod()) || !"/api/v1/timestamp".equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      byte[] reply;
      try {
        TimeStampRequest request = new TimeStampRequest(exchange.getRequestBody().readAllBytes());
        reply = new TimeStampResponseGenerator(generator, TSPAlgorithms.ALLOWED)
            .generate(request, BigInteger.valueOf(serial.getAndIncrement()), new Date())
            .getEncoded();
      } catch (TSPException | IOException e) {
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
      exchange.sendResponseHeaders(200, reply.length);
      exchange.getResponseBody().write(reply);
    }
  }
}
