package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import java.util.List;

/**
 * What to sign. How is the sign worker's policy for the project; the approvals are checked there again.
 *
 * @param project the project
 * @param version the version
 * @param files the files to sign, each with the digest recorded by the stage that produced it
 * @param approvals the signed approvals the release collected
 * @param resume reuse the bundles an earlier run of this release made for exactly these files
 */
public record SignInput(String project, String version, List<ArtifactRef> files, List<SignedDecision> approvals,
    boolean resume) {}
