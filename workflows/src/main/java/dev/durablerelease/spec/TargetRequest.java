package dev.durablerelease.spec;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A publish target a release asks for: a name from the operator's policy, which holds its URL and credentials, and
 * optionally a folder under that target's root. In YAML either {@code downloads} or
 * {@code {target: downloads, path: "{version}/"}}.
 *
 * @param target the target's name in the policy
 * @param path a relative folder under the target's root, or null: a template ({@code {project}}, {@code {version}}
 *     and the names derived from the version), expanded by the upload worker with the target's URL
 * @param unknownFields keys the engine does not know (a URL or a credential here is a policy key: validation says so)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TargetRequest(
    String target,
    String path,
    @JsonAnySetter @JsonAnyGetter Map<String, Object> unknownFields) {

  public TargetRequest {
    unknownFields = unknownFields == null ? new LinkedHashMap<>() : unknownFields;
  }

  /** {@code upload: [downloads]}: a target by name alone. */
  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static TargetRequest named(String target) {
    return new TargetRequest(target, null, null);
  }

  public TargetRequest(String target, String path) {
    this(target, path, null);
  }
}
