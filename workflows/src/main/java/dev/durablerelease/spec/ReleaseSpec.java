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
 * every default is filled in and every placeholder expanded (but for the upload paths, which the upload worker expands
 * with the target's URL), so workflow code never interprets the spec further than reading it.
 *
 * @param versionScheme what the version means: {@code semver}, {@code pep440}, {@code calver} or {@code none} (the
 *     default: text, with no levels and no order)
 * @param versionPattern calver only: the calendar pattern, e.g. {@code YYYY.0M.MICRO}
 * @param maintenanceLines lines that may still publish below the greatest final, e.g. {@code 3.12.*}
 * @param preset a set of rules taken as a whole, e.g. {@code cpython} (docs/spec.md says what each sets); its
 *     rules are written into the other fields when the spec is loaded
 * @param upload the publish targets this release asks for, by the names the operator's policy gives them
 * @param unknownFields keys the engine does not know, kept so that validation can name them (and say which moved to
 *     the policy) and so that the inputs of releases started by earlier engines still read
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ReleaseSpec(
    String project,
    String repository,
    String version,
    String versionScheme,
    String versionPattern,
    List<String> maintenanceLines,
    String preset,
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
    maintenanceLines = maintenanceLines == null ? List.of() : maintenanceLines;
    unknownFields = unknownFields == null ? Map.of() : unknownFields;
  }

  /** A spec without version rules: its version is text. */
  public ReleaseSpec(String project, String repository, String version, String tag, String expectedCommit,
      SourceSpec source, CommandSpec test, DocsSpec docs, SbomSpec sbom, List<TargetRequest> upload,
      Map<String, Object> unknownFields) {
    this(project, repository, version, null, null, null, null, tag, expectedCommit, source, test, docs, sbom, upload,
        unknownFields);
  }

  /** The same spec with another repository location (e.g. a relative path made absolute). */
  public ReleaseSpec withRepository(String newRepository) {
    return new ReleaseSpec(project, newRepository, version, versionScheme, versionPattern, maintenanceLines, preset,
        tag, expectedCommit, source, test, docs, sbom, upload, unknownFields);
  }

  /** How workers read the version: its scheme, pattern and maintenance lines. */
  public Versioning versioning() {
    return new Versioning(versionScheme == null ? VersionFacts.NONE : versionScheme, versionPattern,
        maintenanceLines);
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
