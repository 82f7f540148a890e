package dev.durablerelease.activity;

import dev.durablerelease.contract.ArtifactRef;
import java.util.List;

/**
 * What to describe.
 *
 * @param checkout the verified source (project, version, commit time, SBOM settings)
 * @param archives every archive that gets an SBOM (source and docs)
 */
public record SbomInput(Checkout checkout, List<ArtifactRef> archives) {}
