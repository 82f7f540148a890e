package dev.durablerelease.sign;

import dev.durablerelease.policy.SigningPolicy;
import dev.sigstore.VerificationOptions;
import dev.sigstore.strings.RegexSyntaxException;
import dev.sigstore.strings.StringMatcher;

/**
 * Who must have signed: the certificate identity (its e-mail or URI) and the OIDC issuer, each exact or, with the
 * {@code regex:} prefix, a regular expression matched against the whole value.
 */
public record IdentityPolicy(String identity, String issuer) {

  public VerificationOptions verificationOptions() {
    return VerificationOptions.builder()
        .addCertificateMatchers(VerificationOptions.CertificateMatcher.fulcio()
            .subjectAlternativeName(matcher(identity))
            .issuer(matcher(issuer))
            .build())
        .build();
  }

  @Override
  public String toString() {
    return "identity " + identity + " from issuer " + issuer;
  }

  private static StringMatcher matcher(String expected) {
    if (expected.startsWith(SigningPolicy.REGEX_PREFIX)) {
      try {
        return StringMatcher.regex(expected.substring(SigningPolicy.REGEX_PREFIX.length()));
      } catch (RegexSyntaxException e) {
        throw new IllegalArgumentException("\"" + expected + "\" is not a valid regular expression", e);
      }
    }
    return StringMatcher.string(expected);
  }
}
