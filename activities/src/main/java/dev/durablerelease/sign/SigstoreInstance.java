package dev.durablerelease.sign;

import dev.sigstore.SigningConfigProvider;
import dev.sigstore.TrustedRootProvider;
import dev.sigstore.tuf.SigstoreTufClient;
import java.nio.file.Path;

/**
 * Which Sigstore deployment signs and verifies: its trusted root (CA, logs, TSAs and their keys) and its signing config
 * (where the CA, log and TSA are).
 *
 * @param name for messages, e.g. "Sigstore's public instance"
 * @param trustedRoot where the trusted root comes from
 * @param signingConfig where the signing config comes from
 */
public record SigstoreInstance(String name, TrustedRootProvider trustedRoot, SigningConfigProvider signingConfig) {

  /** Sigstore's public-good instance, its trust material fetched and checked through Sigstore's TUF repository. */
  public static SigstoreInstance publicGood() {
    SigstoreTufClient.Builder tuf = SigstoreTufClient.builder().usePublicGoodInstance();
    return new SigstoreInstance("Sigstore's public instance", TrustedRootProvider.from(tuf),
        SigningConfigProvider.from(tuf));
  }

  /** A private deployment (or the dev stack) described by its two files; nothing is looked up on the network. */
  public static SigstoreInstance fromFiles(Path trustedRoot, Path signingConfig) {
    return new SigstoreInstance("the Sigstore instance of " + trustedRoot, TrustedRootProvider.from(trustedRoot),
        SigningConfigProvider.from(signingConfig));
  }
}
