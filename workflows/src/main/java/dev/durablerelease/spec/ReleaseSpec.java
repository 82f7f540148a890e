package dev.durablerelease.spec;

import java.util.List;

/**
 * What to release and how: the parsed, validated and normalised form of {@code release.yaml}.
 *
 * <p>Field names are the YAML keys and the JSON field names of the workflow input; keep them stable. After {@link
 * SpecLoader} every default is filled in and every {@code {version}}/{@code {project}} placeholder is expanded, so
 * workflow code never interprets the spec further than reading it. Secrets never appear here, only references.
 */
public record ReleaseSpec(
    String project,
    String repository,
    String version,
    String tag,
    String expectedCommit,
    SourceSpec source,
    CommandSpec test,
    DocsSpec docs,
    SbomSpec sbom,
    SignSpec sign,
    List<UploadSpec> upload,
    ApprovalSpec approval,
    TagSignatureSpec tagSignature) {

  /** The same spec with another repository location (e.g. a relative path made absolute). */
  public ReleaseSpec withRepository(String newRepository) {
    return new ReleaseSpec(project, newRepository, version, tag, expectedCommit, source, test, docs, sbom, sign, upload,
        approval, tagSignature);
  }

  public boolean requiresTagSignature() {
    return tagSignature != null && tagSignature.enforced();
  }

  public boolean hasTests() {
    return test != null;
  }

  public boolean hasDocs() {
    return docs != null;
  }

  public boolean needsApproval() {
    return approval != null && approval.required();
  }

  public boolean hasSigning() {
    return sign != null;
  }

  public boolean hasUploads() {
    return upload != null && !upload.isEmpty();
  }
}
