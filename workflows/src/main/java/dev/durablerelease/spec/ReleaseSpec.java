package dev.durablerelease.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * What to release and how to build and describe it: the parsed, validated and normalised form of the project's
 * {@code release.yaml}. Where the files go, who signs and who approves are not here: they are the operator's, in the
 * policy each worker reads (see docs/policy.md).
 *
 * <p>Field names are the YAML keys and the JSON field names of the workflow input; keep them stable. After loading
 * every default is filled in and every placeholder expanded, so workflow code never interprets the spec further than
 * reading it.
 *
 * @param upload the publish targets this release asks for, by the names the operator's policy gives them
 * @param unknownFields keys the engine does not know, kept so that validation can name them (and say which moved to
 *     the policy) and so that the inputs of releases started by earlier engines still read
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
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
    List<TargetRequest> upload,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> unknownFields) {

  public ReleaseSpec {
    upload = upload == null ? List.of() : upload;
    unknownFields = unknownFields == null ? Map.of() : unknownFields;
  }

  /** The same spec with another repository location (e.g. a relative path made absolute). */
  public ReleaseSpec withRepository(String newRepository) {
    return new ReleaseSpec(project, newRepository, version, tag, expectedCommit, source, test, docs, sbom, upload,
        unknownFields);
  }

  public boolean hasTests() {
    return test != null;
  }

  public boolean hasDocs() {
    return docs != null;
  }

  public boolean hasUploads() {
    return !upload.isEmpty();
  }
}
