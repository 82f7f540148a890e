package dev.durablerelease.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * Sigstore signing of every release file. Holds references only: the identity token is named, never included.
 *
 * @param mode {@code public} (Sigstore's public instance, the default), {@code private} (a deployment described by
 *     {@code trustedRoot} and {@code signingConfig}) or {@code dev} (a throwaway Sigstore instance started on loopback
 *     inside the sign worker, with a locally minted identity: signatures trusted by no one but this machine)
 * @param identityToken where the sign worker finds the OIDC identity token: {@code env:NAME}, {@code file:/PATH} or
 *     {@code github-actions} (the ambient GitHub Actions token); not used in dev mode
 * @param trustedRoot absolute path of the deployment's {@code trusted_root.json} on the sign worker (private mode)
 * @param signingConfig absolute path of its {@code signing_config.json} on the sign worker (private mode)
 * @param expectIdentity the certificate identity every signature must carry (exact, or {@code regex:PATTERN});
 *     dev mode defaults it to the minted identity
 * @param expectIssuer the OIDC issuer every signature must carry (exact, or {@code regex:PATTERN})
 */
public record SignSpec(
    String mode,
    String identityToken,
    String trustedRoot,
    String signingConfig,
    String expectIdentity,
    String expectIssuer) {

  public static final String PUBLIC = "public";
  public static final String PRIVATE = "private";
  public static final String DEV = "dev";
  /** Marks an expected identity or issuer as a regular expression (matched against the whole value). */
  public static final String REGEX_PREFIX = "regex:";

  @JsonIgnore
  public boolean isDev() {
    return DEV.equals(mode);
  }
}
