package dev.durablerelease.sign.dev;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sigstore.fulcio.v2.CAGrpc;
import dev.sigstore.fulcio.v2.CertificateChain;
import dev.sigstore.fulcio.v2.CreateSigningCertificateRequest;
import dev.sigstore.fulcio.v2.SigningCertificate;
import dev.sigstore.fulcio.v2.SigningCertificateEmbeddedSCT;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * A Fulcio-compatible certificate authority (Fulcio's gRPC API, v2) with a certificate transparency log key: checks
 * the identity token and the proof of possession, then issues a short-lived code-signing certificate for the token's
 * identity with an embedded SCT, as Fulcio does.
 */
final class DevCertificateAuthority extends CAGrpc.CAImplBase {
  private static final String OID_ISSUER_V1 = "1.3.6.1.4.1.57264.1.1";
  private static final String OID_ISSUER_V2 = "1.3.6.1.4.1.57264.1.8";
  private static final String OID_SCT_LIST = "1.3.6.1.4.1.11129.2.4.2";

  private final DevIdentityProvider identities;
  private final KeyPair caKeys;
  private final X509Certificate caCertificate;
  private final KeyPair ctKeys;
  private final CertificateWindow window;

  /** When issued certificates are valid, relative to the time of the request. */
  record CertificateWindow(java.time.Duration startOffset, java.time.Duration lifetime) {}

  DevCertificateAuthority(DevIdentityProvider identities, KeyPair caKeys, X509Certificate caCertificate,
      KeyPair ctKeys, CertificateWindow window) {
    this.identities = identities;
    this.caKeys = caKeys;
    this.caCertificate = caCertificate;
    this.ctKeys = ctKeys;
    this.window = window;
  }

  @Override
  public void createSigningCertificate(CreateSigningCertificateRequest request,
      StreamObserver<SigningCertificate> response) {
    JsonNode claims;
    try {
      claims = identities.verify(request.getCredentials().getOidcIdentityToken());
    } catch (DevIdentityProvider.InvalidTokenException e) {
      response.onError(Status.UNAUTHENTICATED.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    PublicKey publicKey;
    try {
      publicKey = parsePublicKey(request.getPublicKeyRequest().getPublicKey().getContent());
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("unreadable public key").asRuntimeException());
      return;
    }
    String subject = claims.path("sub").asText();
    if (!DevKeys.verify("SHA256withECDSA", publicKey, subject.getBytes(StandardCharsets.UTF_8),
        request.getPublicKeyRequest().getProofOfPossession().toByteArray())) {
      response.onError(Status.INVALID_ARGUMENT.withDescription("the proof of possession does not verify")
          .asRuntimeException());
      return;
    }
    X509Certificate leaf = issue(publicKey, claims.path("email").asText(subject));
    SigningCertificate certificate = SigningCertificate.newBuilder()
        .setSignedCertificateEmbeddedSct(SigningCertificateEmbeddedSCT.newBuilder()
            .setChain(CertificateChain.newBuilder()
                .addCertificates(DevKeys.pem(leaf))
                .addCertificates(DevKeys.pem(caCertificate))))
        .build();
    response.onNext(certificate);
    response.onCompleted();
  }

  private X509Certificate issue(PublicKey publicKey, String email) {
    Instant notBefore = Instant.now().plus(window.startOffset());
    Instant notAfter = notBefore.plus(window.lifetime());
    java.math.BigInteger serial = DevKeys.serial();
    X509CertificateHolder precertificate = DevKeys.holder(leafBuilder(publicKey, email, serial, notBefore, notAfter),
        caKeys.getPrivate());
    byte[] sct = signedCertificateTimestamp(precertificateTbs(precertificate));
    try {
      X509v3CertificateBuilder withSct = leafBuilder(publicKey, email, serial, notBefore, notAfter)
          .addExtension(new ASN1ObjectIdentifier(OID_SCT_LIST), false, new DEROctetString(sctList(sct)));
      return DevKeys.certificate(withSct, caKeys.getPrivate());
    } catch (IOException e) {
      throw new IllegalStateException("cannot add the SCT extension", e);
    }
  }

  private X509v3CertificateBuilder leafBuilder(PublicKey publicKey, String email, java.math.BigInteger serial,
      Instant notBefore, Instant notAfter) {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      return new JcaX509v3CertificateBuilder(caCertificate, serial, Date.from(notBefore), Date.from(notAfter),
          new X500Name(new RDN[0]), publicKey)
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning))
          .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(publicKey))
          .addExtension(Extension.authorityKeyIdentifier, false,
              utils.createAuthorityKeyIdentifier(caCertificate))
          .addExtension(Extension.subjectAlternativeName, true,
              new GeneralNames(new GeneralName(GeneralName.rfc822Name, email)))
          .addExtension(new ASN1ObjectIdentifier(OID_ISSUER_V1), false,
              identities.issuer().getBytes(StandardCharsets.UTF_8))
          .addExtension(new ASN1ObjectIdentifier(OID_ISSUER_V2), false, new DERUTF8String(identities.issuer()));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build a dev signing certificate", e);
    }
  }

  /** The TBS a CT verifier rebuilds from the final certificate: the same fields without the SCT list. */
  private static byte[] precertificateTbs(X509CertificateHolder certificate) {
    TBSCertificate tbs = certificate.toASN1Structure().getTBSCertificate();
    V3TBSCertificateGenerator generator = new V3TBSCertificateGenerator();
    generator.setSerialNumber(tbs.getSerialNumber());
    generator.setSignature(tbs.getSignature());
    generator.setIssuer(tbs.getIssuer());
    generator.setStartDate(tbs.getStartDate());
    generator.setEndDate(tbs.getEndDate());
    generator.setSubject(tbs.getSubject());
    generator.setSubjectPublicKeyInfo(tbs.getSubjectPublicKeyInfo());
    generator.setExtensions(tbs.getExtensions());
    try {
      return generator.generateTBSCertificate().getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode a TBS certificate", e);
    }
  }

  /** An RFC 6962 SCT (v1) over a precertificate entry, signed with the CT log key. */
  private byte[] signedCertificateTimestamp(byte[] tbs) {
    long timestamp = System.currentTimeMillis();
    byte[] issuerKeyHash = DevKeys.sha256(caCertificate.getPublicKey().getEncoded());
    ByteArrayOutputStream signed = new ByteArrayOutputStream();
    signed.write(0); // version v1
    signed.write(0); // signature type: certificate_timestamp
    signed.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
    signed.writeBytes(new byte[] {0, 1}); // entry type: precert_entry
    signed.writeBytes(issuerKeyHash);
    signed.writeBytes(new byte[] {(byte) (tbs.length >> 16), (byte) (tbs.length >> 8), (byte) tbs.length});
    signed.writeBytes(tbs);
    signed.writeBytes(new byte[] {0, 0}); // no extensions
    byte[] signature = DevKeys.sign(ctKeys.getPrivate(), signed.toByteArray());

    ByteArrayOutputStream sct = new ByteArrayOutputStream();
    sct.write(0);
    sct.writeBytes(DevKeys.sha256(ctKeys.getPublic().getEncoded())); // log id
    sct.writeBytes(ByteBuffer.allocate(8).putLong(timestamp).array());
    sct.writeBytes(new byte[] {0, 0}); // no extensions
    sct.writeBytes(new byte[] {4, 3}); // sha256, ecdsa
    sct.writeBytes(uint16(signature.length));
    sct.writeBytes(signature);
    return sct.toByteArray();
  }

  private static byte[] sctList(byte[] sct) {
    ByteArrayOutputStream list = new ByteArrayOutputStream();
    list.writeBytes(uint16(sct.length + 2));
    list.writeBytes(uint16(sct.length));
    list.writeBytes(sct);
    return list.toByteArray();
  }

  private static byte[] uint16(int value) {
    return new byte[] {(byte) (value >> 8), (byte) value};
  }

  private static PublicKey parsePublicKey(String pem) throws GeneralSecurityException {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }
}
