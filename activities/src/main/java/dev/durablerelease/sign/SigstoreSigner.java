package dev.durablerelease.sign;

import dev.sigstore.AlgorithmRegistry;
import dev.sigstore.KeylessSigner;
import dev.sigstore.KeylessSignerException;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.ImmutableBundle;
import dev.sigstore.bundle.ImmutableTimestamp;
import dev.sigstore.oidc.client.OidcClients;
import dev.sigstore.timestamp.client.HashAlgorithm;
import dev.sigstore.timestamp.client.ImmutableTimestampRequest;
import dev.sigstore.timestamp.client.TimestampClientHttp;
import dev.sigstore.timestamp.client.TimestampException;
import dev.sigstore.timestamp.client.TimestampResponse;
import dev.sigstore.timestamp.client.TimestampVerificationException;
import dev.sigstore.timestamp.client.TimestampVerifier;
import dev.sigstore.trustroot.Service;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keyless signing with sigstore-java: one short-lived certificate for the identity, a Rekor v1 entry per signature,
 * and, where the signing config names a timestamp authority, an RFC 3161 timestamp over each signature (a second,
 * independent witness of when it was made, which verifiers check against the trusted root).
 */
public final class SigstoreSigner {
  private SigstoreSigner() {}

  /** Signs SHA-256 digests; the bundles come back in the same order. */
  public static List<Bundle> sign(SigstoreInstance instance, OidcClients identity, List<byte[]> sha256s)
      throws KeylessSignerException, SigstoreConfigurationException, GeneralSecurityException, IOException {
    List<Bundle> bundles;
    try (KeylessSigner signer = KeylessSigner.builder()
        .trustedRootProvider(instance.trustedRoot())
        .signingConfigProvider(instance.signingConfig())
        .forceCredentialProviders(identity)
        .signingAlgorithm(AlgorithmRegistry.SigningAlgorithm.PKIX_ECDSA_P256_SHA_256)
        .build()) {
      bundles = signer.sign(sha256s);
    }
    Optional<Service> tsa = Service.select(instance.signingConfig().get().getTsas(), List.of(1));
    if (tsa.isEmpty()) {
      return bundles;
    }
    TimestampClientHttp timestamps = TimestampClientHttp.builder().setService(tsa.get()).build();
    TimestampVerifier timestampVerifier = TimestampVerifier.newTimestampVerifier(instance.trustedRoot().get());
    List<Bundle> timestamped = new ArrayList<>();
    for (Bundle bundle : bundles) {
      byte[] signature = bundle.getMessageSignature().orElseThrow().getSignature();
      try {
        TimestampResponse response = timestamps.timestamp(ImmutableTimestampRequest.builder()
            .hashAlgorithm(HashAlgorithm.SHA256)
            .hash(MessageDigest.getInstance("SHA-256").digest(signature))
            .build());
        timestampVerifier.verify(response, signature);
        timestamped.add(ImmutableBundle.builder().from(bundle)
            .addTimestamps(ImmutableTimestamp.builder().rfc3161Timestamp(response.getEncoded()).build())
            .build());
      } catch (TimestampException | TimestampVerificationException e) {
        throw new KeylessSignerException("timestamp authority " + tsa.get().getUrl() + ": " + e.getMessage(), e);
      }
    }
    return timestamped;
  }
}
