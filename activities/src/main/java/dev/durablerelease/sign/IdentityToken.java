package dev.durablerelease.sign;

import dev.sigstore.oidc.client.GithubActionsOidcClient;
import dev.sigstore.oidc.client.OidcClients;
import dev.sigstore.oidc.client.TokenStringOidcClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The OIDC identity token behind a spec reference ({@code env:NAME}, {@code file:/PATH}, {@code github-actions}),
 * read on the sign worker at the moment sigstore-java asks for it, so that it never travels through Temporal. It also
 * remembers what it handed out, to scrub it from any error text before that text leaves the activity.
 */
public final class IdentityToken {
  private static final String REDACTED = "[identity token redacted]";

  private final String reference;
  private final Supplier<String> source;
  private volatile String issued;

  private IdentityToken(String reference, Supplier<String> source) {
    this.reference = reference;
    this.source = source;
  }

  /** A reference from the operator's policy, resolved against this worker's environment and files. */
  public static IdentityToken fromReference(String reference, Map<String, String> env) {
    if (reference.startsWith("env:")) {
      String name = reference.substring("env:".length());
      return new IdentityToken(reference, () -> {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
          throw new UnavailableException("signing.identityToken " + reference + ": the variable " + name
              + " is not set on this sign worker; set it in the worker's environment (never in the policy file)");
        }
        return value.trim();
      });
    }
    if (reference.startsWith("file:")) {
      Path file = Path.of(reference.substring("file:".length()));
      return new IdentityToken(reference, () -> {
        try {
          return Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
          throw new UnavailableException("signing.identityToken " + reference + ": " + file
              + " does not exist on this sign worker; write a fresh token there before the sign stage runs");
        } catch (IOException e) {
          throw new UnavailableException("signing.identityToken " + reference + ": cannot read " + file + ": "
              + e.getMessage());
        }
      });
    }
    if (reference.equals("github-actions")) {
      GithubActionsOidcClient github = GithubActionsOidcClient.builder().build();
      return new IdentityToken(reference, () -> {
        if (!github.isEnabled(env)) {
          throw new UnavailableException("signing.identityToken github-actions: this sign worker is not in a GitHub"
              + " Actions job that may request tokens; give the job `permissions: id-token: write`");
        }
        try {
          return github.getIDToken(env).getIdToken();
        } catch (Exception e) {
          throw new UnavailableException("signing.identityToken github-actions: " + e.getMessage());
        }
      });
    }
    throw new IllegalArgumentException("not a token reference: use env:NAME, file:/PATH or github-actions");
  }

  /** A token minted in this process (dev mode). */
  public static IdentityToken minted(String token) {
    return new IdentityToken("a locally minted identity", () -> token);
  }

  /** What sigstore-java asks for a token; each call reads the reference again (a refreshed file is picked up). */
  public OidcClients clients() {
    return OidcClients.of(TokenStringOidcClient.from(() -> issued = source.get()));
  }

  public String reference() {
    return reference;
  }

  /** The text with the token, and each of its parts, replaced. */
  public String redact(String text) {
    String token = issued;
    if (text == null || token == null || token.isEmpty()) {
      return text;
    }
    String result = text.replace(token, REDACTED);
    for (String part : token.split("\\.")) {
      // the JWT's header alone is no secret and would match too much
      if (part.length() >= 24) {
        result = result.replace(part, REDACTED);
      }
    }
    return result;
  }

  /** The reference names no usable token; the message says where to put one. */
  public static final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnavailableException(String message) {
      super(message);
    }
  }
}
