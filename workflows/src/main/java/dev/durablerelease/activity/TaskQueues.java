package dev.durablerelease.activity;

import java.util.List;

/**
 * Task queues are trust domains (docs/operating.md): a worker serves only the queues whose secrets and risks its host may
 * hold. Client and workers share these names.
 */
public final class TaskQueues {
  /** Workflows only; holds nothing secret. */
  public static final String WORKFLOWS = "release";
  /** Checkout, archives, SBOMs, manifest; may hold read credentials for git. */
  public static final String SOURCE = "release-source";
  /**
   * The second builder, where the operator's policy wants two builders to agree: it makes the source archives and
   * their SBOMs again, on hosts administered apart from those of {@link #SOURCE}; may hold read credentials for git.
   */
  public static final String SOURCE_2 = "release-source-2";
  /** Project tests (untrusted project code); holds nothing secret. */
  public static final String BUILD = "release-build";
  /** Project docs (untrusted, many dependencies); holds nothing secret. */
  public static final String DOCS = "release-docs";
  /** Signing; holds the identity token and never runs project code. */
  public static final String SIGN = "release-sign";
  /** Publication; holds target credentials. */
  public static final String UPLOAD = "release-upload";

  /** Short names as given to {@code release worker --queues}, mapped to queue names. */
  public static final List<String> SHORT_NAMES = List.of("workflows", "source", "source2", "build", "docs", "sign",
      "upload");

  private TaskQueues() {}

  /** {@code source} → {@code release-source}; {@code workflows} → {@code release}; full names pass through. */
  public static String fromShortName(String name) {
    return switch (name) {
      case "workflows", WORKFLOWS -> WORKFLOWS;
      case "source", SOURCE -> SOURCE;
      case "source2", SOURCE_2 -> SOURCE_2;
      case "build", BUILD -> BUILD;
      case "docs", DOCS -> DOCS;
      case "sign", SIGN -> SIGN;
      case "upload", UPLOAD -> UPLOAD;
      default -> throw new IllegalArgumentException(
          "unknown queue \"" + name + "\"; known: " + String.join(", ", SHORT_NAMES));
    };
  }
}
