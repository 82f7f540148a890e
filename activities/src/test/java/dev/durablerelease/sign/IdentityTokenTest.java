package dev.durablerelease.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstore.oidc.client.OidcException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityTokenTest {
  // a JWT-shaped token (header {"alg":"ES256"}, payload with iss and sub); content is irrelevant here
  private static final String TOKEN = "eyJhbGciOiJFUzI1NiJ9"
      + ".eyJpc3MiOiJodHRwczovL2lzc3Vlci5leGFtcGxlLm9yZyIsInN1YiI6Im1lQGV4YW1wbGUub3JnIn0"
      + ".c2lnbmF0dXJlLWJ5dGVzLXRoYXQtYXJlLWxvbmctZW5vdWdo";

  @Test
  void envReferenceIsReadWhenSigstoreAsksAndScrubbedFromErrorText() throws Exception {
    IdentityToken token = IdentityToken.fromReference("env:SIGSTORE_ID_TOKEN", Map.of("SIGSTORE_ID_TOKEN", TOKEN));
    assertThat(token.clients().getIDToken().getIdToken()).isEqualTo(TOKEN);
    String payload = TOKEN.split("\\.")[1];
    assertThat(token.redact("bad token " + TOKEN + " with payload " + payload))
        .doesNotContain(payload).contains("[identity token redacted]");
  }

  @Test
  void unsetVariableIsNamedWithTheFix() {
    IdentityToken token = IdentityToken.fromReference("env:SIGSTORE_ID_TOKEN", Map.of());
    assertThatThrownBy(() -> token.clients().getIDToken())
        .isInstanceOf(OidcException.class)
        .rootCause().hasMessageContaining("the variable SIGSTORE_ID_TOKEN is not set on this sign worker");
  }

  @Test
  void githubActionsOutsideAJobSaysWhichPermissionIsMissing() {
    IdentityToken token = IdentityToken.fromReference("github-actions", Map.of());
    assertThatThrownBy(() -> token.clients().getIDToken())
        .rootCause().hasMessageContaining("permissions: id-token: write");
  }
}
