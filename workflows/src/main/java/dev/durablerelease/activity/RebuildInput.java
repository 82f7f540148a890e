package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import java.util.List;

/**
 * What the second builder makes again, and what the first builder made, to say where they differ.
 *
 * @param checkout the verified source (repository, tag, commit, spec)
 * @param archives the first builder's source archives
 * @param sboms the first builder's SBOMs of those archives
 */
public record RebuildInput(Checkout checkout, List<ArtifactRef> archives, List<ArtifactRef> sboms) {}
