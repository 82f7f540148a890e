package dev.durablerelease.config;

import dev.durablerelease.spec.TargetRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code upload} section: the publish targets a release asks for, by name. Their URLs and credentials are the
 * operator's (the policy's {@code targets:}), so a URL or a credential here is refused, saying where it goes.
 */
final class UploadValidator {
  static final Pattern TARGET_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  /** What a target entry held when the spec named URLs and credentials itself. */
  private static final Set<String> TARGET_SETTINGS = Set.of("url", "key", "password", "knownHosts", "hostKey",
      "endpoint", "region", "pathStyle", "accessKeyId", "secretAccessKey");

  private final Findings findings;

  UploadValidator(Findings findings) {
    this.findings = findings;
  }

  List<TargetRequest> normalize(List<TargetRequest> raw) {
    List<TargetRequest> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      String at = "/upload/" + i;
      TargetRequest request = raw.get(i);
      if (request == null) {
        findings.error(at, "empty; name a target of the operator's policy, e.g. downloads");
        continue;
      }
      if (!settingsOfThePolicy(request.unknownFields(), at)) {
        continue;
      }
      String name = request.target();
      if (name == null || name.isBlank()) {
        findings.error(at + "/target", "missing; name a target of the operator's policy, e.g. downloads");
        continue;
      }
      if (!TARGET_NAME.matcher(name).matches()) {
        findings.error(at + "/target", "\"" + name + "\" is not a target name; the policy names targets with"
            + " letters, digits, '.', '_' and '-'");
        continue;
      }
      String path = path(request.path(), at + "/path");
      if (!seen.add(name + "/" + path)) {
        findings.error(at, "target " + name + (path.isEmpty() ? "" : " with path " + path) + " is listed twice");
      }
      result.add(new TargetRequest(name, path.isEmpty() ? null : path));
    }
    return result;
  }

  /** False when the entry carries a target's URL or credentials, which are reported (never echoed). */
  private boolean settingsOfThePolicy(Map<String, Object> unknown, String at) {
    boolean clean = true;
    for (String key : unknown.keySet().stream().sorted().toList()) {
      clean = false;
      if (TARGET_SETTINGS.contains(key)) {
        findings.error(at + "/" + key, "publish targets are the operator's: their URLs and credentials live in the"
            + " policy file, where each target is named and granted to projects. Write upload: [NAME] here (e.g."
            + " upload: [downloads]) and give the operator the target for the policy's targets: NAME: {url: …,"
            + " projects: [PROJECT]} (docs/policy.md)");
      } else {
        findings.error(at + "/" + key, "unknown key; " + YamlDocument.knownKeys(TargetRequest.class));
      }
    }
    return clean;
  }

  /**
   * A folder under the target's root: relative, inside it, ending with '/'; "" for the root itself. It stays a
   * template: the upload worker expands it with the target's URL, so that it can list the target's earlier releases.
   */
  private String path(String raw, String at) {
    String path = findings.expand(raw, at);
    if (path == null || path.isEmpty()) {
      return "";
    }
    if (!SbomValidator.treePath(path) || path.contains("//") || List.of(path.split("/")).contains(".")) {
      findings.error(at, "\"" + path + "\" must be a relative folder under the target's root, e.g. {version}/");
      return "";
    }
    return raw.endsWith("/") ? raw : raw + "/";
  }
}
