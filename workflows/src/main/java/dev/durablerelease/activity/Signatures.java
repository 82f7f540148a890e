package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageRun;
import java.util.List;

/**
 * Verified Sigstore bundles, one per signed file.
 *
 * @param bundles {@code <file>.sigstore}, in the order of the files signed
 * @param trustedRoot the {@code trusted_root.json} the bundles verify with, published beside them in dev mode only
 *     (null otherwise: verifiers use the instance's own)
 * @param trustConfig {@code trust_config.json}, the same trust as a client trust config (what sigstore-python takes),
 *     published beside it in dev mode only (null otherwise, and in results recorded before it existed)
 * @param identity the certificate identity the bundles carry
 * @param issuer the OIDC issuer the bundles carry
 * @param run how the activity ran
 */
public record Signatures(List<ArtifactRef> bundles, ArtifactRef trustedRoot, ArtifactRef trustConfig, String identity,
    String issuer, StageRun run) implements StageOutput {

  @Override
  public Signatures withRun(StageRun newRun) {
    return new Signatures(bundles, trustedRoot, trustConfig, identity, issuer, newRun);
  }

  @Override
  public List<ArtifactRef> artifacts() {
    List<ArtifactRef> all = new java.util.ArrayList<>(bundles);
    if (trustedRoot != null) {
      all.add(trustedRoot);
    }
    if (trustConfig != null) {
      all.add(trustConfig);
    }
    return all;
  }
}
