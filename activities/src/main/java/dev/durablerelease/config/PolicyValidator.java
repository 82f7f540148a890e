package dev.durablerelease.config;

import dev.durablerelease.policy.ApprovalPolicy;
import dev.durablerelease.policy.CeilingsPolicy;
import dev.durablerelease.policy.Domain;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.policy.ProjectPolicy;
import dev.durablerelease.policy.ReproducibilityPolicy;
import dev.durablerelease.policy.SigningPolicy;
import dev.durablerelease.policy.TagSignaturePolicy;
import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.policy.VersionsPolicy;
import dev.durablerelease.version.Versions;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks the sections of a policy that the worker's domains read, and leaves the others out of what it returns. The
 * targets are checked by {@link TargetsValidator}.
 */
final class PolicyValidator {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Set<String> SIGN_MODES = Set.of(SigningPolicy.PUBLIC, SigningPolicy.PRIVATE, SigningPolicy.DEV);
  private static final Pattern TOKEN_REFERENCE = Pattern.compile("env:[A-Za-z_][A-Za-z0-9_]*|file:/.+|github-actions");
  /** An OpenSSH public key line: type, base64 key, optional comment. */
  private static final Pattern SSH_PUBLIC_KEY =
      Pattern.compile("(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\\.com"
          + "|sk-ecdsa-sha2-nistp256@openssh\\.com) ([A-Za-z0-9+/]+={0,2})( .*)?");

  private final Findings findings;
  private final Set<Domain> domains;

  PolicyValidator(Findings findings, Set<Domain> domains) {
    this.findings = findings;
    this.domains = domains;
  }

  Map<String, ProjectPolicy> projects(Map<String, ProjectPolicy> projects) {
    Map<String, ProjectPolicy> result = new LinkedHashMap<>();
    projects.forEach((name, project) -> {
      String at = "/projects/" + name;
      if (!NAME.matcher(name).matches()) {
        findings.error(at, "\"" + name + "\" is not a project name (letters, digits, '.', '_' and '-')");
      }
      result.put(name, project(project == null ? ProjectPolicy.EMPTY : project, at, name));
    });
    return Map.copyOf(result);
  }

  /** The project's sections this worker reads, checked; the sections of other domains are left out. */
  ProjectPolicy project(ProjectPolicy p, String at, String name) {
    boolean source = domains.contains(Domain.SOURCE);
    boolean sign = domains.contains(Domain.SIGN);
    if (source) {
      patterns(p.repositories(), at + "/repositories");
      if (p.tagSignature() != null) {
        tagSignature(p.tagSignature(), at + "/tagSignature");
      }
      if (p.submodules() != null) {
        patterns(p.submodules().allow(), at + "/submodules/allow");
      }
    }
    if (sign) {
      if (p.signing() != null) {
        signing(p.signing(), at + "/signing");
      }
      if (p.approval() != null) {
        approval(p.approval(), at + "/approval");
      }
      if (p.reproducibility() != null) {
        reproducibility(p.reproducibility(), at + "/reproducibility");
      }
    }
    if (domains.contains(Domain.BUILD) && p.ceilings() != null) {
      ceilings(p.ceilings(), at + "/ceilings");
    }
    boolean readsVersions = sign || domains.contains(Domain.UPLOAD);
    if (readsVersions && p.versions() != null) {
      versions(p.versions(), at + "/versions");
    }
    return new ProjectPolicy(
        source ? p.repositories() : null,
        source ? p.tagSignature() : null,
        sign ? p.signing() : null,
        sign ? normalized(p.approval()) : null,
        domains.contains(Domain.BUILD) ? p.ceilings() : null,
        source ? p.submodules() : null,
        readsVersions ? p.versions() : null,
        sign ? p.reproducibility() : null);
  }

  Map<String, TargetPolicy> targets(Map<String, TargetPolicy> targets) {
    return new TargetsValidator(findings).normalize(targets);
  }

  Map<String, String> approvers(Map<String, String> approvers) {
    Map<String, String> result = new LinkedHashMap<>();
    approvers.forEach((name, key) -> {
      String at = "/approvers/" + name;
      if (!NAME.matcher(name).matches()) {
        findings.error(at, "\"" + name + "\" is not an approver name (letters, digits, '.', '_' and '-')");
      } else if (key == null || !validPublicKey(key.strip())) {
        findings.error(at, "not an SSH public key; give the approver's public key line as ssh-keygen writes it,"
            + " e.g. ssh-ed25519 AAAAC3Nza… erin@example.org (the content of ~/.ssh/id_ed25519.pub)");
      } else {
        result.put(name, key.strip());
      }
    });
    return Map.copyOf(result);
  }

  /** What can only be checked once every section is read. */
  void crossChecks(Policy policy) {
    if (domains.contains(Domain.SOURCE)) {
      policy.projects().forEach((name, project) -> {
        if (project.repositories() == null && policy.defaults().repositories() == null) {
          findings.error("/projects/" + name, "no repositories; list where " + name + "'s source may come from,"
              + " e.g. repositories: [https://git.example.org/" + name + ".git]");
        }
      });
    }
    if (domains.contains(Domain.SIGN)) {
      approversExist(policy.defaults().approval(), "/defaults/approval", policy.approvers());
      policy.projects().forEach((name, project) ->
          approversExist(project.approval(), "/projects/" + name + "/approval", policy.approvers()));
      ProjectPolicy defaults = policy.defaults();
      gatedApprovalHasScheme(defaults, "/defaults/approval/when");
      policy.projects().forEach((name, project) ->
          gatedApprovalHasScheme(project.over(defaults), "/projects/" + name + "/approval/when"));
    }
  }

  /**
   * An approval for some release levels only reads the version under a scheme the operator chose: with the spec's
   * own, a tag could pick the scheme under which its final reads as a pre-release (semver's 2.0.0-1 is pip's
   * 2.0.0.post1) and skip the approval.
   */
  private void gatedApprovalHasScheme(ProjectPolicy project, String at) {
    if (project.approval() != null && !project.approval().levels().isEmpty()
        && (project.versions() == null || project.versions().scheme() == null)) {
      findings.error(at, "approval for some release levels needs the project's versions: {scheme: pep440 (or semver,"
          + " calver)} in the policy, so that a pushed tag cannot choose the scheme its version is read under");
    }
  }

  private void versions(VersionsPolicy raw, String at) {
    if (raw.scheme() != null && (!Versions.SCHEMES.contains(raw.scheme()) || raw.scheme().equals(Versions.NONE))) {
      findings.error(at + "/scheme", "unknown scheme \"" + raw.scheme() + "\"; use semver, pep440 or calver");
    } else if ("calver".equals(raw.scheme())) {
      String problem = Versions.calendarPatternProblem(raw.pattern());
      if (problem != null) {
        findings.error(at + "/pattern", problem);
      }
    } else if (raw.pattern() != null) {
      findings.error(at + "/pattern", "only scheme: calver has a pattern; remove it");
    }
    for (int i = 0; i < raw.lines().size(); i++) {
      if (!Versions.isMaintenanceLine(raw.lines().get(i))) {
        findings.error(at + "/maintenanceLines/" + i, "\"" + raw.lines().get(i) + "\" is not a maintenance line;"
            + " write the release numbers it keeps and .*, e.g. 3.12.*");
      }
    }
  }

  private void approversExist(ApprovalPolicy approval, String at, Map<String, String> keys) {
    if (approval == null) {
      return;
    }
    for (int i = 0; i < approval.approverNames().size(); i++) {
      String name = approval.approverNames().get(i);
      if (!keys.containsKey(name)) {
        findings.error(at + "/approvers/" + i, name + " is not under approvers: with a public key; add"
            + " approvers: " + name + ": ssh-ed25519 AAAA…");
      }
    }
    if (approval.required() > approval.approverNames().size()) {
      findings.error(at + "/approvals", approval.required() + " approvals need at least as many approvers; "
          + approval.approverNames().size() + " are listed");
    }
  }

  private void patterns(List<String> patterns, String at) {
    if (patterns == null) {
      return;
    }
    for (int i = 0; i < patterns.size(); i++) {
      if (patterns.get(i) == null || patterns.get(i).isBlank()) {
        findings.error(at + "/" + i, "empty; give a URL or path, with * for any characters within a segment");
      }
    }
  }

  private void tagSignature(TagSignaturePolicy raw, String at) {
    if (raw.enforced() && raw.gpgKeyring() == null && raw.allowedSigners() == null) {
      findings.error(at, "missing gpgKeyring or allowedSigners; name the public keys (gpg --export --armor KEY >"
          + " FILE) or the SSH allowed-signers file that release tags must be signed with");
    }
    absolutePath(raw.gpgKeyring(), at + "/gpgKeyring", "source");
    absolutePath(raw.allowedSigners(), at + "/allowedSigners", "source");
  }

  private void signing(SigningPolicy raw, String at) {
    String mode = raw.mode() == null ? SigningPolicy.PUBLIC : raw.mode();
    if (!SIGN_MODES.contains(mode)) {
      findings.error(at + "/mode", "unknown mode \"" + mode + "\"; use public (Sigstore's public instance), private"
          + " (with trustedRoot and signingConfig) or dev (a throwaway local instance, for trying signing offline)");
    }
    boolean dev = SigningPolicy.DEV.equals(mode);
    if (dev && raw.identityToken() != null) {
      findings.error(at + "/identityToken", "dev mode mints its own identity; leave identityToken out or choose"
          + " another mode");
    } else if (!dev && raw.identityToken() == null) {
      findings.error(at + "/identityToken", "missing; name where the sign worker finds the OIDC token: env:NAME,"
          + " file:/PATH or github-actions");
    } else if (raw.identityToken() != null && !TOKEN_REFERENCE.matcher(raw.identityToken()).matches()) {
      // the value is not repeated: a pasted token must not end up in error messages and logs
      findings.error(at + "/identityToken", "must be a reference, not a token: env:NAME, file:/ABSOLUTE/PATH or"
          + " github-actions; keep the token itself out of the policy");
    }
    boolean isPrivate = SigningPolicy.PRIVATE.equals(mode);
    trustFile(raw.trustedRoot(), at + "/trustedRoot", isPrivate, mode);
    trustFile(raw.signingConfig(), at + "/signingConfig", isPrivate, mode);
    if (!dev && raw.expectIdentity() == null) {
      findings.error(at + "/expectIdentity", "missing; give the certificate identity releases are signed as, e.g."
          + " https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/tags/v{version} or"
          + " regex:^https://github\\.com/OWNER/REPO/.*$");
    }
    if (!dev && raw.expectIssuer() == null) {
      findings.error(at + "/expectIssuer", "missing; give the OIDC issuer, e.g."
          + " https://token.actions.githubusercontent.com");
    }
    regexIfMarked(raw.expectIdentity(), at + "/expectIdentity");
    regexIfMarked(raw.expectIssuer(), at + "/expectIssuer");
  }

  private void trustFile(String path, String at, boolean required, String mode) {
    if (required && path == null) {
      findings.error(at, "missing; private mode needs the deployment's trusted_root.json and signing_config.json");
    } else if (!required && path != null) {
      findings.error(at, "only private mode reads trust files; " + mode + " mode does not use it");
    } else {
      absolutePath(path, at, "sign");
    }
  }

  private void regexIfMarked(String value, String at) {
    if (value != null && value.startsWith(SigningPolicy.REGEX_PREFIX)) {
      try {
        Pattern.compile(value.substring(SigningPolicy.REGEX_PREFIX.length()));
      } catch (PatternSyntaxException e) {
        findings.error(at, "not a valid regular expression: " + e.getDescription());
      }
    }
  }

  private void approval(ApprovalPolicy raw, String at) {
    if (raw.approvals() != null && raw.approvals() < 0) {
      findings.error(at + "/approvals", raw.approvals() + " is not a number of approvals; write 0 for no gate, or"
          + " e.g. 2");
    }
    findings.duration(raw.timeout(), at + "/timeout", ApprovalPolicy.DEFAULT_TIMEOUT);
    findings.duration(raw.reminder(), at + "/reminder", ApprovalPolicy.DEFAULT_REMINDER);
    findings.levels(raw.levels(), at + "/when");
  }

  private void reproducibility(ReproducibilityPolicy raw, String at) {
    if (raw.required() < 1 || raw.required() > ReproducibilityPolicy.MAX_BUILDERS) {
      findings.error(at + "/builders", raw.required() + " is not a number of builders this engine runs; write 2 for a"
          + " second builder on the source2 queue (served by hosts administered apart), or 1 for one");
    }
  }

  private static ApprovalPolicy normalized(ApprovalPolicy raw) {
    if (raw == null) {
      return null;
    }
    return new ApprovalPolicy(raw.required(), List.copyOf(raw.approverNames()),
        raw.timeout() == null ? ApprovalPolicy.DEFAULT_TIMEOUT : raw.timeout(),
        raw.reminder() == null ? ApprovalPolicy.DEFAULT_REMINDER : raw.reminder(), raw.skipsNeedSignature(),
        List.copyOf(raw.levels()));
  }

  private void ceilings(CeilingsPolicy raw, String at) {
    findings.size(raw.memory(), at + "/memory", "16GiB");
    findings.size(raw.fileSize(), at + "/fileSize", "8GiB");
    findings.size(raw.tmp(), at + "/tmp", "2GiB");
    findings.size(raw.disk(), at + "/disk", "64GiB");
    if (raw.processes() != null && raw.processes() < 1) {
      findings.error(at + "/processes", raw.processes() + " is not a number of processes; write e.g. 4096");
    }
  }

  private void absolutePath(String path, String at, String worker) {
    if (path != null && !path.startsWith("/")) {
      findings.error(at, "\"" + path + "\" must be an absolute path on the " + worker + " worker");
    }
  }

  private static boolean validPublicKey(String line) {
    var m = SSH_PUBLIC_KEY.matcher(line);
    if (!m.matches()) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(m.group(3)).length > 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
