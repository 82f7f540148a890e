package dev.durablerelease.activities;

import dev.durablerelease.store.ArtifactStore;
import java.nio.file.Path;

/**
 * What every activity of a worker process shares.
 *
 * @param store the artifact store
 * @param workDir this worker's own scratch folder (git cache, unpacked archives); never shared between hosts
 * @param identity the worker's identity as recorded in the checklist and provenance
 */
public record WorkerContext(ArtifactStore store, Path workDir, String identity) {}
