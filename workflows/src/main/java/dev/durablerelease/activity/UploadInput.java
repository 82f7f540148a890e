package dev.durablerelease.activity;

import dev.durablerelease.spec.UploadSpec;
import dev.durablerelease.workflow.ArtifactRef;
import java.util.List;

/**
 * What to publish where.
 *
 * @param targets the spec's targets
 * @param files the files, in publication order (manifest files last)
 */
public record UploadInput(List<UploadSpec> targets, List<ArtifactRef> files) {}
