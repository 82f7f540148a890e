package dev.durablerelease.activity;

import dev.durablerelease.workflow.ArtifactRef;
import dev.durablerelease.workflow.StageOutput;
import dev.durablerelease.workflow.StageRun;

/**
 * The release's index files.
 *
 * @param releaseJson {@code release.json}
 * @param checksums {@code SHA256SUMS}
 * @param run how the activity ran
 */
public record Manifest(ArtifactRef releaseJson, ArtifactRef checksums, StageRun run) implements StageOutput {}
