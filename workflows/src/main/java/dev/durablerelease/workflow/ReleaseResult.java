package dev.durablerelease.workflow;

import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.StageStatus;
import java.util.List;

/**
 * What a finished release produced. Carries references only; the files are in the artifact store.
 *
 * @param project project name
 * @param version released version
 * @param tag the tag that was released
 * @param commit the commit the tag resolved to
 * @param artifacts every published file of the release except the manifest and checksums
 * @param logs logs of the project commands, kept in the store
 * @param manifest {@code release.json}
 * @param checksums {@code SHA256SUMS}
 * @param published the target URLs the release was published to
 * @param stages the checklist as it ended
 * @param operatorEvents decisions operators took (retry, skip, approve)
 * @param alreadyPublished whether every target already held this release (same content files), so this run made,
 *     signed and published nothing: {@code manifest}, {@code checksums} and {@code artifacts} are the published ones
 */
public record ReleaseResult(
    String project,
    String version,
    String tag,
    String commit,
    List<ArtifactRef> artifacts,
    List<ArtifactRef> logs,
    ArtifactRef manifest,
    ArtifactRef checksums,
    List<String> published,
    List<StageStatus> stages,
    List<OperatorEvent> operatorEvents,
    boolean alreadyPublished) {}
