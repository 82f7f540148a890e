package dev.durablerelease.activity;

import java.util.List;

/**
 * Failure types that a retry cannot fix. Activities throw them as non-retryable {@code ApplicationFailure}s; the
 * workflow's retry policies list them too, so that a retryable throw of one by mistake still stops at once.
 */
public final class Failures {
  /** The release spec or the workflow input is unusable. */
  public static final String INVALID_SPEC = "InvalidSpec";
  /** The tag does not exist in the repository. */
  public static final String TAG_NOT_FOUND = "TagNotFound";
  /** The tag resolves to a commit other than the expected one. */
  public static final String COMMIT_MISMATCH = "CommitMismatch";
  /** The repository cannot be read (bad URL, no such path, access refused). */
  public static final String REPOSITORY_UNAVAILABLE = "RepositoryUnavailable";
  /** The repository lacks git objects the release needs, or holds damaged ones (the message names them). */
  public static final String REPOSITORY_CORRUPT = "RepositoryCorrupt";
  /** The committed tree cannot be archived as it is (see the message). */
  public static final String BAD_TREE = "BadTree";
  /** A project command (tests, docs) exited non-zero or hit a limit. */
  public static final String COMMAND_FAILED = "CommandFailed";
  /** A stored blob or a file on a target does not have the digest it must have. */
  public static final String DIGEST_MISMATCH = "DigestMismatch";
  /** Signing cannot start: no usable identity token behind the spec's reference, or the CA refused it. */
  public static final String SIGNING_REFUSED = "SigningRefused";
  /** A bundle just made does not verify against the expected identity and trusted root. */
  public static final String SIGNATURE_INVALID = "SignatureInvalid";
  /**
   * A target holds a different file under a release path, one the publish ledger does not know: not published by a
   * release of this store, so it may be removed by hand (if never announced) and the upload run again.
   */
  public static final String PUBLISH_CONFLICT = "PublishConflict";
  /**
   * This version was published with other files (the publish ledger records what each target got). A published file is
   * never replaced, so no retry or resume can change this: release a new version.
   */
  public static final String ALREADY_PUBLISHED = "AlreadyPublished";
  /** A publication target refused our credentials, or its host key is unknown or not the expected one. */
  public static final String TARGET_REFUSED = "TargetRefused";

  /** Vendored components declared in the spec or a merged SPDX document do not match the archive's files. */
  public static final String SBOM_MISMATCH = "SbomMismatch";
  /** The operator's policy does not grant what the release asks for (a target, a repository, a limit, a URL). */
  public static final String POLICY_REFUSED = "PolicyRefused";
  /**
   * The version is not greater than the greatest final its targets already published, and no maintenance line allows
   * it.
   */
  public static final String VERSION_NOT_NEWER = "VersionNotNewer";
  /** A signed approval or decision does not verify against the approvers' keys of the policy. */
  public static final String APPROVAL_REFUSED = "ApprovalRefused";
  /** The tag is not annotated and signed by a key or signer that the policy's tagSignature trusts. */
  public static final String TAG_SIGNATURE_INVALID = "TagSignatureInvalid";

  /**
   * The one type here that is retried: this worker cannot sandbox project code (its bubblewrap stopped working after
   * it started), but another worker of the queue may. When every attempt meets it, the stage blocks with the reason.
   */
  public static final String SANDBOX_UNAVAILABLE = "SandboxUnavailable";

  public static final List<String> NON_RETRYABLE = List.of(
      INVALID_SPEC, TAG_NOT_FOUND, COMMIT_MISMATCH, REPOSITORY_UNAVAILABLE, REPOSITORY_CORRUPT, BAD_TREE,
      COMMAND_FAILED, DIGEST_MISMATCH, SIGNING_REFUSED, SIGNATURE_INVALID, PUBLISH_CONFLICT, ALREADY_PUBLISHED,
      TARGET_REFUSED, SBOM_MISMATCH, TAG_SIGNATURE_INVALID, POLICY_REFUSED, APPROVAL_REFUSED, VERSION_NOT_NEWER);

  private Failures() {}
}
