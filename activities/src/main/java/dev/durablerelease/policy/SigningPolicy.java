package dev.durablerelease.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * How a project's releases are signed; read on the sign worker. Holds references only: the identity token is named,
 * never included.
 *
 * @param mode {@code public} (Sigstore's public instance, the default), {@code private} (a deployment described by
 *     {@code trustedRoot} and {@code signingConfig}) or {@code dev} (a throwaway Sigstore instance started on loopback
 *     inside the sign worker, with a locally minted identity: signatures trusted by no one but this machine)
 * @param identityToken where the sign worker finds the OIDC identity token: {@code env:NAME}, {@code file:/PATH} or
 *     {@code github-actions}; not used in dev mode
 * @param trustedRoot absolute path of the deployment's {@code trusted_root.json} (private mode)
 * @param signingConfig absolute path of its {@code signing_config.json} (private mode)
 * @param expectIdentity the certificate identity every signature must carry (exact, or {@code regex:PATTERN};
 *     {@code {project}} and {@code {version}} expanded); dev mode defaults it to the minted identity
 * @param expectIssuer the OIDC issuer every signature must carry (exact, or {@code regex:PATTERN})
 */
public record SigningPolicy(
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

  /** The same, with {@code {project}} and {@code {version}} expanded in the expected identity and issuer. */
  public SigningPolicy forRelease(String project, String version) {
    return new SigningPolicy(mode, identityToken, trustedRoot, signingConfig, expand(expectIdentity, project, version),
        expand(expectIssuer, project, version));
  }

  private static String expand(String value, String project, String version) {
    return value == null ? null : value.replace("{project}", project).replace("{version}", version);
  }
}
