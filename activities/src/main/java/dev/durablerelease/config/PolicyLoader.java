package dev.durablerelease.config;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.durablerelease.policy.Domain;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.policy.ProjectPolicy;
import dev.durablerelease.policy.TargetPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads the operator's policy file for the domains a worker serves: only their sections are bound and checked (a
 * sign host's file may leave the upload targets out), and every problem is reported at once with its line.
 */
public final class PolicyLoader {
  static final String KIND = "operator policy";
  /** Where {@code release run} and {@code release worker} look when {@code --policy} is not given. */
  public static final String ENV = "DURABLE_RELEASE_POLICY";

  private static final Set<String> SECTIONS = Set.of("defaults", "projects", "targets", "approvers");

  private PolicyLoader() {}

  public static Policy load(Path file, Set<Domain> domains) throws ConfigException, IOException {
    String yaml;
    try {
      yaml = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(file.toString(), null, "the operator policy file does not exist");
    }
    return parse(yaml, file.toString(), domains);
  }

  public static Policy parse(String yaml, String origin, Set<Domain> domains) throws ConfigException {
    YamlDocument document = YamlDocument.parse(yaml, KIND, origin, "projects:, targets: and approvers:");
    Findings findings = new Findings(document.lines());
    document.root().fieldNames().forEachRemaining(key -> {
      if (!SECTIONS.contains(key)) {
        findings.error("/" + key, "unknown section; known sections: approvers, defaults, projects, targets");
      }
    });
    ProjectPolicy defaults = document.bind("/defaults", ProjectPolicy.class, findings);
    Map<String, ProjectPolicy> projects =
        document.bind("/projects", new TypeReference<Map<String, ProjectPolicy>>() {}.getType(), findings);
    Map<String, TargetPolicy> targets = domains.contains(Domain.UPLOAD)
        ? document.bind("/targets", new TypeReference<Map<String, TargetPolicy>>() {}.getType(), findings)
        : null;
    Map<String, String> approvers = domains.contains(Domain.SIGN)
        ? document.bind("/approvers", new TypeReference<Map<String, String>>() {}.getType(), findings)
        : null;
    PolicyValidator validator = new PolicyValidator(findings, domains);
    Policy policy = new Policy(origin, false,
        validator.project(defaults == null ? ProjectPolicy.EMPTY : defaults, "/defaults", null),
        validator.projects(projects == null ? Map.of() : new LinkedHashMap<>(projects)),
        validator.targets(targets == null ? Map.of() : new LinkedHashMap<>(targets)),
        validator.approvers(approvers == null ? Map.of() : new LinkedHashMap<>(approvers)));
    validator.crossChecks(policy);
    if (!findings.isEmpty()) {
      throw new ConfigException(KIND, origin, findings.sorted());
    }
    return policy;
  }
}
