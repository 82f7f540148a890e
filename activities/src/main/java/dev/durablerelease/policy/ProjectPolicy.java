package dev.durablerelease.policy;

import java.util.List;

/**
 * What the operator allows one project (or, under {@code defaults:}, every project): each section given here replaces
 * the default's whole.
 *
 * @param repositories where the project's source may come from: URL or path patterns ({@code *} within a segment,
 *     {@code **} across)
 * @param tagSignature how its tags are checked (source worker)
 * @param signing how its releases are signed (sign worker); none: releases are not signed
 * @param approval who approves its releases (sign worker); none: no gate
 * @param ceilings the most its commands may ask for (build and docs workers)
 * @param submodules which submodule URLs may be fetched (source worker)
 * @param versions how its versions are read and which maintenance lines may publish below the greatest final
 *     (sign and upload workers)
 * @param reproducibility how many builders must make the same source archives and SBOMs (sign worker)
 */
public record ProjectPolicy(
    List<String> repositories,
    TagSignaturePolicy tagSignature,
    SigningPolicy signing,
    ApprovalPolicy approval,
    CeilingsPolicy ceilings,
    SubmodulePolicy submodules,
    VersionsPolicy versions,
    ReproducibilityPolicy reproducibility) {

  public static final ProjectPolicy EMPTY = new ProjectPolicy(null, null, null, null, null, null, null, null);

  public ProjectPolicy(List<String> repositories, TagSignaturePolicy tagSignature, SigningPolicy signing,
      ApprovalPolicy approval, CeilingsPolicy ceilings, SubmodulePolicy submodules) {
    this(repositories, tagSignature, signing, approval, ceilings, submodules, null, null);
  }

  /** This project's sections, and the defaults' where it has none. */
  public ProjectPolicy over(ProjectPolicy defaults) {
    return new ProjectPolicy(
        repositories != null ? repositories : defaults.repositories,
        tagSignature != null ? tagSignature : defaults.tagSignature,
        signing != null ? signing : defaults.signing,
        approval != null ? approval : defaults.approval,
        ceilings != null ? ceilings : defaults.ceilings,
        submodules != null ? submodules : defaults.submodules,
        versions != null ? versions : defaults.versions,
        reproducibility != null ? reproducibility : defaults.reproducibility);
  }
}
