package dev.durablerelease.workflow;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.durablerelease.spec.ReleaseSpec;
import java.util.Map;

/**
 * Input of {@link ReleaseWorkflow#run}: one JSON object, the same from our CLI and from {@code temporal workflow
 * start --input}. Field names are a public interface; keep them stable.
 *
 * <p>From the Temporal CLI the smallest input is {@code {"repository": "...", "version": "2.1.0"}}: the spec is then
 * read from {@code release.yaml} in the tagged commit. Our CLI sends the spec it validated.
 *
 * @param repository git URL or local path; overrides the spec's
 * @param version version to release; overrides the spec's
 * @param tag tag to release when the spec comes from the repository (default {@code v<version>})
 * @param expectedCommit the commit the tag must resolve to (optional; overrides the spec's)
 * @param spec the release spec, or null to read it from the tagged commit
 * @param resume reuse each stage an earlier run of this release finished with identical inputs (from the store)
 * @param unknownFields fields the engine does not know (a typo in hand-written input); the release refuses them
 * @param dryRun run every stage, staging and verifying on the targets, but publish nothing
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReleaseRequest(
    String repository,
    String version,
    String tag,
    String expectedCommit,
    ReleaseSpec spec,
    boolean resume,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> unknownFields,
    boolean dryRun) {

  public ReleaseRequest(String repository, String version, String tag, String expectedCommit, ReleaseSpec spec) {
    this(repository, version, tag, expectedCommit, spec, false, Map.of(), false);
  }

  /** The same request, asking to reuse the stages an earlier run finished. */
  public ReleaseRequest resuming() {
    return new ReleaseRequest(repository, version, tag, expectedCommit, spec, true, unknownFields, dryRun);
  }

  /** The same request as a dry run: nothing is published. */
  public ReleaseRequest asDryRun() {
    return new ReleaseRequest(repository, version, tag, expectedCommit, spec, resume, unknownFields, true);
  }

  /** A request for a spec our CLI has already loaded and validated. */
  public static ReleaseRequest of(ReleaseSpec spec) {
    return new ReleaseRequest(spec.repository(), spec.version(), null, null, spec);
  }
}
