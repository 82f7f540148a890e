package dev.durablerelease.config;

import dev.durablerelease.spec.CommandSpec;
import dev.durablerelease.spec.DocsSpec;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.SbomSpec;
import dev.durablerelease.spec.SourceSpec;
import dev.durablerelease.spec.TargetRequest;
import dev.durablerelease.spec.VersionFacts;
import dev.durablerelease.version.DerivedNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a bound spec and normalises it: the top-level keys here, each section in a validator of its own. Keys that
 * belong to the operator (where files go, who signs, who approves) are refused with the way to move them to the
 * policy.
 */
final class SpecValidator {
  static final Set<String> REPOSITORY_SCHEMES = Set.of("file", "http", "https", "ssh", "git");

  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]*");
  /** PEP 440 epochs: 1!2.0. */
  private static final Pattern PEP440_VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_!-]*");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  /** Keys that decide trust, which a repository (and so a pushed tag) must not choose, and where they went. */
  private static final Map<String, String> MOVED_TO_POLICY = Map.of(
      "sign", "signing moved to the operator's policy: which identity signs a release, in which Sigstore instance,"
          + " and which identity verifiers expect are not the repository's to choose. Remove sign: here; the"
          + " operator gives it under projects: PROJECT: signing: in the policy file (docs/policy.md)",
      "approval", "approval moved to the operator's policy: who approves, with which keys, and how many approvals a"
          + " release needs. Remove approval: here; the operator gives projects: PROJECT: approval: {approvals: N,"
          + " approvers: [NAME, …]} in the policy file (docs/policy.md)",
      "tagSignature", "tag-signature keys moved to the operator's policy: a tag must not choose the keys it is"
          + " checked with. Remove tagSignature: here; the operator gives projects: PROJECT: tagSignature:"
          + " {required: true, allowedSigners: /PATH} in the policy file (docs/policy.md)");

  private final Findings findings;

  SpecValidator(Findings findings) {
    this.findings = findings;
  }

  ReleaseSpec normalize(ReleaseSpec raw) {
    String project = findings.required(raw.project(), "/project", PROJECT,
        "letters, digits, '.', '_' and '-', starting with a letter or digit");
    boolean epochs = "pep440".equals(raw.versionScheme()) || VersionValidator.CPYTHON.equals(raw.preset());
    Pattern plainName = epochs ? PEP440_VERSION : VERSION;
    String version = findings.required(raw.version(), "/version", plainName,
        "letters, digits, '.', '+', '_' and '-'" + (epochs ? " and a PEP 440 epoch's '!'" : "")
            + " (no spaces or slashes)");
    VersionValidator versions = new VersionValidator(findings);
    VersionFacts facts = versions.normalize(raw,
        version != null && plainName.matcher(version).matches() ? version : null);
    if (facts != null) {
      findings.placeholders(DerivedNames.of(nullToEmpty(project), facts), name -> DerivedNames.whyMissing(name, facts));
    } else {
      // the version is wrong (said once, at /version): the names derived from it are not said wrong again
      Map<String, String> values = new HashMap<>();
      DerivedNames.FROM_VERSION.forEach(name -> values.put(name, ""));
      values.put("project", nullToEmpty(project));
      values.put("version", nullToEmpty(version));
      findings.placeholders(values);
    }
    keysOfThePolicy(raw.unknownFields(), project);
    String repository = repository(raw.repository());
    String tag = tag(raw.tag() == null ? "v{version}" : raw.tag());
    String expectedCommit = raw.expectedCommit();
    if (expectedCommit != null && !COMMIT.matcher(expectedCommit).matches()) {
      findings.error("/expectedCommit", "\"" + expectedCommit + "\" is not a full commit id; give all 40 hex digits"
          + " (git rev-parse " + tag + "^{commit})");
    }
    SourceSpec source = new SourceValidator(findings).normalize(raw.source());
    CommandValidator commands = new CommandValidator(findings, versions);
    CommandSpec test = raw.test() == null ? null : commands.test(raw.test());
    DocsSpec docs = raw.docs() == null ? null : commands.docs(raw.docs());
    new ArtifactNamesValidator(findings).check(source, docs);
    SbomSpec sbom = new SbomValidator(findings).normalize(raw.sbom());
    List<TargetRequest> upload = new UploadValidator(findings).normalize(raw.upload());
    return new ReleaseSpec(project, repository, version, versions.scheme(), raw.versionPattern(),
        List.copyOf(raw.maintenanceLines()), raw.preset(), tag, expectedCommit, source, test, docs, sbom, upload,
        Map.of());
  }

  private void keysOfThePolicy(Map<String, Object> unknown, String project) {
    // a key with no value asks for nothing (and is how specs of earlier engines wrote absent sections)
    unknown.keySet().stream().filter(key -> unknown.get(key) != null).sorted().forEach(key -> {
      String moved = MOVED_TO_POLICY.get(key);
      findings.error("/" + key, moved != null
          ? moved.replace("PROJECT", project == null ? "PROJECT" : project)
          : "unknown key; " + YamlDocument.knownKeys(ReleaseSpec.class));
    });
  }

  private String repository(String repository) {
    if (repository == null || repository.isBlank()) {
      findings.error("/repository", "missing; give a git URL or a local path (or --repository on the command line)");
      return repository;
    }
    Matcher scheme = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://").matcher(repository);
    if (scheme.find()) {
      try {
        URI uri = new URI(repository);
        String name = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!REPOSITORY_SCHEMES.contains(name)) {
          findings.error("/repository", "unsupported scheme " + name + "://; use one of "
              + REPOSITORY_SCHEMES.stream().sorted().toList() + " or a local path");
        } else if (!name.equals("file") && (uri.getHost() == null || uri.getHost().isBlank())) {
          findings.error("/repository", "\"" + repository + "\" has no host");
        }
      } catch (URISyntaxException e) {
        findings.error("/repository", "\"" + repository + "\" is not a valid URL: " + e.getReason());
      }
    } else if (repository.contains("\n")) {
      findings.error("/repository", "not a path or URL");
    }
    return repository;
  }

  private String tag(String tag) {
    String expanded = findings.expand(tag, "/tag");
    if (expanded != null && !validRefPart(expanded)) {
      findings.error("/tag", "\"" + expanded + "\" is not a valid git tag name");
    }
    return expanded;
  }

  /** Git's rules for a ref name component, enough to refuse what `git tag` would refuse. */
  private static boolean validRefPart(String name) {
    if (name.isEmpty() || name.startsWith("-") || name.startsWith("/") || name.endsWith("/") || name.endsWith(".")
        || name.endsWith(".lock") || name.contains("..") || name.contains("@{") || name.contains("//")) {
      return false;
    }
    for (char c : name.toCharArray()) {
      if (c < 0x20 || c == 0x7f || " ~^:?*[\\".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
