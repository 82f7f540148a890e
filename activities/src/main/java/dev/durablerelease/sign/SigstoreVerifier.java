package dev.durablerelease.sign;

import dev.sigstore.KeylessVerificationException;
import dev.sigstore.KeylessVerifier;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.encryption.certificates.Certificates;
import dev.sigstore.rekor.client.RekorEntry;
import dev.sigstore.trustroot.SigstoreConfigurationException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;

/**
 * sigstore-java's {@link KeylessVerifier} plus the check 2.0.0 leaves out: the signing certificate must have been valid
 * when the transparency log integrated the entry (a certificate that expired before its signature was logged proves
 * nothing about when the key was used).
 */
public final class SigstoreVerifier {
  private final KeylessVerifier verifier;

  public SigstoreVerifier(TrustedRootProvider trustedRoot) throws SigstoreConfigurationException {
    try {
      this.verifier = KeylessVerifier.builder().trustedRootProvider(trustedRoot).build();
    } catch (GeneralSecurityException e) {
      throw new SigstoreConfigurationException("the trusted root cannot be used: " + e.getMessage(), e);
    }
  }

  /** Verifies a bundle over an artifact's SHA-256; throws with the reason when it does not verify. */
  public void verify(byte[] sha256, Bundle bundle, IdentityPolicy policy) throws KeylessVerificationException {
    verifier.verify(sha256, bundle, policy.verificationOptions());
    X509Certificate leaf = Certificates.getLeaf(bundle.getCertPath());
    for (RekorEntry entry : bundle.getEntries()) {
      // Rekor v2 entries carry no integrated time; their time comes from the TSA timestamps checked above
      if (entry.getIntegratedTime() == 0) {
        continue;
      }
      try {
        leaf.checkValidity(Date.from(entry.getIntegratedTimeInstant()));
      } catch (CertificateExpiredException | CertificateNotYetValidException e) {
        throw new KeylessVerificationException("the signing certificate (valid " + leaf.getNotBefore().toInstant()
            + " to " + leaf.getNotAfter().toInstant() + ") was not valid when the log integrated the entry at "
            + entry.getIntegratedTimeInstant());
      }
    }
  }
}
