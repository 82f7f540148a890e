package dev.durablerelease.sign.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * The dev stack's OpenID Connect issuer: mints short-lived ES256 identity tokens for a local identity and checks the
 * ones presented to the dev CA, as Fulcio checks a real issuer's.
 */
public final class DevIdentityProvider {
  /** The audience Fulcio requires. */
  static final String AUDIENCE = "sigstore";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final String issuer;
  private final KeyPair keys = DevKeys.newKeyPair();

  DevIdentityProvider(String issuer) {
    this.issuer = issuer;
  }

  public String issuer() {
    return issuer;
  }

  /** A token for an e-mail identity, valid from now for {@code lifetime} (negative: already expired). */
  public String mint(String email, Duration lifetime) {
    Instant now = Instant.now();
    ObjectNode claims = JSON.createObjectNode()
        .put("iss", issuer)
        .put("sub", email)
        .put("email", email)
        .put("email_verified", true)
        .put("aud", AUDIENCE)
        .put("iat", now.getEpochSecond())
        .put("exp", now.plus(lifetime).getEpochSecond());
    String signed = B64URL.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    byte[] signature = DevKeys.sign("SHA256withECDSAinP1363Format", keys.getPrivate(),
        signed.getBytes(StandardCharsets.US_ASCII));
    return signed + "." + B64URL.encodeToString(signature);
  }

  /** Checks a token's signature, issuer, audience and expiry; returns its claims. */
  JsonNode verify(String token) throws InvalidTokenException {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      throw new InvalidTokenException("the identity token is not a JWT");
    }
    byte[] signature;
    JsonNode claims;
    try {
      signature = Base64.getUrlDecoder().decode(parts[2]);
      claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    } catch (IllegalArgumentException | IOException e) {
      throw new InvalidTokenException("the identity token is not a JWT");
    }
    byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    if (!DevKeys.verify("SHA256withECDSAinP1363Format", keys.getPublic(), signed, signature)) {
      throw new InvalidTokenException("the identity token was not issued by " + issuer);
    }
    if (!issuer.equals(claims.path("iss").asText())) {
      throw new InvalidTokenException("the identity token's issuer is not " + issuer);
    }
    if (!AUDIENCE.equals(claims.path("aud").asText())) {
      throw new InvalidTokenException("the identity token's audience is not " + AUDIENCE);
    }
    if (claims.path("exp").asLong() <= Instant.now().getEpochSecond()) {
      throw new InvalidTokenException("the identity token has expired");
    }
    return claims;
  }

  /** A token the CA refuses; the message never repeats the token. */
  static final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
      super(message);
    }
  }
}
