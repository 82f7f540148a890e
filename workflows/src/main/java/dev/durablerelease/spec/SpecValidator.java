package dev.durablerelease.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Checks a bound spec, fills in defaults and expands placeholders, collecting every error with its line. */
final class SpecValidator {
  static final List<String> SOURCE_FORMATS = List.of("tar.gz", "tar.xz", "zip");
  static final List<String> DOCS_FORMATS = List.of("tar.gz");
  static final List<String> SBOM_FORMATS = List.of("spdx");
  static final Set<String> REPOSITORY_SCHEMES = Set.of("file", "http", "https", "ssh", "git");
  static final Set<String> UPLOAD_SCHEMES = Set.of("file");
  static final String DEFAULT_TIMEOUT = "30m";
  static final Duration MAX_TIMEOUT = Duration.ofDays(30);

  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z][0-9A-Za-z.+_-]*");
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
  private static final Set<String> SIGN_MODES = Set.of(SignSpec.PUBLIC, SignSpec.PRIVATE, SignSpec.DEV);
  private static final Pattern TOKEN_REFERENCE =
      Pattern.compile("env:[A-Za-z_][A-Za-z0-9_]*|file:/.+|github-actions");
  private static final Set<String> RESERVED_ENV = Set.of("PATH", "HOME", "LANG");

  private final Map<String, Integer> lines;
  private final List<SpecError> errors = new ArrayList<>();
  private Map<String, String> placeholders = Map.of();

  SpecValidator(Map<String, Integer> lines) {
    this.lines = lines;
  }

  ReleaseSpec normalize(ReleaseSpec raw, String origin) throws SpecException {
    String project = required(raw.project(), "/project", PROJECT,
        "letters, digits, '.', '_' and '-', starting with a letter or digit");
    String version = required(raw.version(), "/version", VERSION,
        "letters, digits, '.', '+', '_' and '-' (no spaces or slashes)");
    placeholders = Map.of("project", nullToEmpty(project), "version", nullToEmpty(version));
    String repository = repository(raw.repository());
    String tag = tag(raw.tag() == null ? "v{version}" : raw.tag());
    String expectedCommit = raw.expectedCommit();
    if (expectedCommit != null && !COMMIT.matcher(expectedCommit).matches()) {
      error("/expectedCommit", "\"" + expectedCommit + "\" is not a full commit id; give all 40 hex digits"
          + " (git rev-parse " + tag + "^{commit})");
    }
    SourceSpec source = source(raw.source());
    CommandSpec test = raw.test() == null ? null : command(raw.test(), "/test");
    DocsSpec docs = raw.docs() == null ? null : docs(raw.docs());
    SbomSpec sbom = sbom(raw.sbom());
    SignSpec sign = raw.sign() == null ? null : sign(raw.sign());
    List<UploadSpec> upload = uploads(raw.upload());
    ApprovalSpec approval = raw.approval() == null ? null : approval(raw.approval());
    TagSignatureSpec tagSignature = raw.tagSignature() == null ? null : tagSignature(raw.tagSignature());
    if (!errors.isEmpty()) {
      throw new SpecException(origin, SpecLoader.sorted(errors));
    }
    return new ReleaseSpec(project, repository, version, tag, expectedCommit, source, test, docs, sbom, sign, upload,
        approval, tagSignature);
  }

  private String repository(String repository) {
    if (repository == null || repository.isBlank()) {
      error("/repository", "missing; give a git URL or a local path (or --repository on the command line)");
      return repository;
    }
    Matcher scheme = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://").matcher(repository);
    if (scheme.find()) {
      try {
        URI uri = new URI(repository);
        String name = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!REPOSITORY_SCHEMES.contains(name)) {
          error("/repository", "unsupported scheme " + name + "://; use one of " + sortedList(REPOSITORY_SCHEMES)
              + " or a local path");
        } else if (!name.equals("file") && (uri.getHost() == null || uri.getHost().isBlank())) {
          error("/repository", "\"" + repository + "\" has no host");
        }
      } catch (URISyntaxException e) {
        error("/repository", "\"" + repository + "\" is not a valid URL: " + e.getReason());
      }
    } else if (repository.contains("\n")) {
      error("/repository", "not a path or URL");
    }
    return repository;
  }

  private String tag(String tag) {
    String expanded = expand(tag, "/tag");
    if (expanded != null && !validRefPart(expanded)) {
      error("/tag", "\"" + expanded + "\" is not a valid git tag name");
    }
    return expanded;
  }

  private SourceSpec source(SourceSpec raw) {
    SourceSpec s = raw == null ? new SourceSpec(null, null, null, null, null, null) : raw;
    String name = expand(s.name() == null ? "{project}-{version}" : s.name(), "/source/name");
    if (name != null && (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith("."))) {
      error("/source/name", "\"" + name + "\" cannot be an archive name; use a plain file name such as {project}-{version}");
    }
    List<String> formats = formats(s.formats(), List.of("tar.gz"), SOURCE_FORMATS, "/source/formats");
    List<String> given = s.exclude() == null ? List.of() : s.exclude();
    for (int i = 0; i < given.size(); i++) {
      if (given.get(i) == null || given.get(i).isBlank()) {
        error("/source/exclude/" + i, "empty pattern");
      }
    }
    boolean defaultExclude = s.defaultExclude() == null || s.defaultExclude();
    // defaults first, each pattern once: normalising an already normalised spec changes nothing
    java.util.LinkedHashSet<String> exclude = new java.util.LinkedHashSet<>();
    if (defaultExclude) {
      exclude.addAll(SourceSpec.DEFAULT_EXCLUDE);
    }
    exclude.addAll(given);
    String submodules = s.submodules() == null ? SourceSpec.SUBMODULES_ERROR : s.submodules();
    if (!submodules.equals(SourceSpec.SUBMODULES_ERROR) && !submodules.equals(SourceSpec.SUBMODULES_INCLUDE)) {
      error("/source/submodules", "\"" + submodules + "\" is not allowed; use error (a submodule stops the build) or"
          + " include (archive it at its recorded commit)");
    }
    String maxFileSize = s.maxFileSize() == null ? SourceSpec.DEFAULT_MAX_FILE_SIZE : s.maxFileSize();
    if (SourceSpec.parseSize(maxFileSize) <= 0) {
      error("/source/maxFileSize", "\"" + maxFileSize + "\" is not a size; write e.g. 2GiB, 500MiB or a number of bytes");
    }
    return new SourceSpec(name, formats, List.copyOf(exclude), defaultExclude, submodules, maxFileSize);
  }

  private TagSignatureSpec tagSignature(TagSignatureSpec raw) {
    boolean required = raw.enforced();
    if (required && raw.gpgKeyring() == null && raw.allowedSigners() == null) {
      error("/tagSignature", "missing gpgKeyring or allowedSigners; name the public keys (gpg --export --armor KEY >"
          + " FILE) or the SSH allowed-signers file that release tags must be signed with");
    }
    for (String[] file : new String[][] {{raw.gpgKeyring(), "/tagSignature/gpgKeyring"},
        {raw.allowedSigners(), "/tagSignature/allowedSigners"}}) {
      if (file[0] != null && !file[0].startsWith("/")) {
        error(file[1], "\"" + file[0] + "\" must be an absolute path on the source worker");
      }
    }
    return new TagSignatureSpec(required, raw.gpgKeyring(), raw.allowedSigners());
  }

  private CommandSpec command(CommandSpec raw, String at) {
    String command = raw.command();
    if (command == null || command.isBlank()) {
      error(at + "/command", "missing; give the shell command to run, e.g. make test");
    }
    String timeout = timeout(raw.timeout(), at + "/timeout", DEFAULT_TIMEOUT);
    return new CommandSpec(command, timeout, env(raw.env(), at + "/env"), raw.skippable() != null && raw.skippable());
  }

  private DocsSpec docs(DocsSpec raw) {
    CommandSpec command = command(new CommandSpec(raw.command(), raw.timeout(), raw.env(), raw.skippable()), "/docs");
    List<String> outputs = raw.outputs() == null ? List.of() : List.copyOf(raw.outputs());
    if (outputs.isEmpty()) {
      error("/docs/outputs", "missing; list the folders the docs command produces, e.g. [doc/_build/html]");
    }
    for (int i = 0; i < outputs.size(); i++) {
      String out = outputs.get(i);
      if (out == null || out.isBlank() || out.startsWith("/") || Arrays.asList(out.split("/")).contains("..")) {
        error("/docs/outputs/" + i, "\"" + out + "\" must be a relative folder inside the source tree");
      }
    }
    List<String> formats = formats(raw.formats(), List.of("tar.gz"), DOCS_FORMATS, "/docs/formats");
    return new DocsSpec(command.command(), outputs, formats, command.timeout(), command.skippable(), command.env());
  }

  private SbomSpec sbom(SbomSpec raw) {
    SbomSpec s = raw == null ? new SbomSpec(null, null, null) : raw;
    List<String> formats = formats(s.formats(), List.of("spdx"), SBOM_FORMATS, "/sbom/formats");
    return new SbomSpec(formats, s.supplier(), s.license());
  }

  private SignSpec sign(SignSpec raw) {
    String mode = raw.mode() == null ? SignSpec.PUBLIC : raw.mode();
    if (!SIGN_MODES.contains(mode)) {
      error("/sign/mode", "unknown mode \"" + mode + "\"; use public (Sigstore's public instance), private (with"
          + " trustedRoot and signingConfig) or dev (a throwaway local instance, for trying signing offline)");
    }
    boolean dev = SignSpec.DEV.equals(mode);
    if (dev && raw.identityToken() != null) {
      error("/sign/identityToken", "dev mode mints its own identity; leave identityToken out or choose another mode");
    } else if (!dev && raw.identityToken() == null) {
      error("/sign/identityToken", "missing; name where the sign worker finds the OIDC token: env:NAME, file:/PATH"
          + " or github-actions");
    } else if (raw.identityToken() != null && !TOKEN_REFERENCE.matcher(raw.identityToken()).matches()) {
      // the value is not repeated: a pasted token must not end up in error messages and logs
      error("/sign/identityToken", "must be a reference, not a token: env:NAME, file:/ABSOLUTE/PATH or"
          + " github-actions; keep the token itself out of the spec");
    }
    boolean isPrivate = SignSpec.PRIVATE.equals(mode);
    trustFile(raw.trustedRoot(), "/sign/trustedRoot", isPrivate, mode);
    trustFile(raw.signingConfig(), "/sign/signingConfig", isPrivate, mode);
    if (!dev && raw.expectIdentity() == null) {
      error("/sign/expectIdentity", "missing; give the certificate identity releases are signed as, e.g."
          + " https://github.com/OWNER/REPO/.github/workflows/release.yml@refs/tags/v1.0.0 or regex:^https://github"
          + "\\.com/OWNER/REPO/.*$");
    }
    if (!dev && raw.expectIssuer() == null) {
      error("/sign/expectIssuer", "missing; give the OIDC issuer, e.g. https://token.actions.githubusercontent.com");
    }
    regexIfMarked(raw.expectIdentity(), "/sign/expectIdentity");
    regexIfMarked(raw.expectIssuer(), "/sign/expectIssuer");
    return new SignSpec(mode, raw.identityToken(), raw.trustedRoot(), raw.signingConfig(), raw.expectIdentity(),
        raw.expectIssuer());
  }

  private void trustFile(String path, String at, boolean required, String mode) {
    if (required && path == null) {
      error(at, "missing; private mode needs the deployment's trusted_root.json and signing_config.json");
    } else if (!required && path != null) {
      error(at, "only private mode reads trust files; " + mode + " mode does not use it");
    } else if (path != null && !path.startsWith("/")) {
      error(at, "\"" + path + "\" must be an absolute path on the sign worker");
    }
  }

  private void regexIfMarked(String value, String at) {
    if (value != null && value.startsWith(SignSpec.REGEX_PREFIX)) {
      try {
        Pattern.compile(value.substring(SignSpec.REGEX_PREFIX.length()));
      } catch (java.util.regex.PatternSyntaxException e) {
        error(at, "not a valid regular expression: " + e.getDescription());
      }
    }
  }

  private List<UploadSpec> uploads(List<UploadSpec> raw) {
    if (raw == null) {
      return List.of();
    }
    List<UploadSpec> result = new ArrayList<>();
    for (int i = 0; i < raw.size(); i++) {
      String at = "/upload/" + i + "/url";
      UploadSpec target = raw.get(i);
      String url = target == null ? null : expand(target.url(), at);
      if (url == null || url.isBlank()) {
        error(at, "missing; give the target URL, e.g. file:///srv/releases/{project}/{version}/");
        continue;
      }
      try {
        URI uri = new URI(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!UPLOAD_SCHEMES.contains(scheme)) {
          error(at, "unsupported target \"" + url + "\"; supported: " + sortedList(UPLOAD_SCHEMES).stream()
              .map(s -> s + "://").collect(Collectors.joining(", ")));
        } else if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
          error(at, "\"" + url + "\" needs an absolute path, e.g. file:///srv/releases/");
        } else {
          result.add(new UploadSpec(url.endsWith("/") ? url : url + "/"));
        }
      } catch (URISyntaxException e) {
        error(at, "\"" + url + "\" is not a valid URL: " + e.getReason());
      }
    }
    return result;
  }

  private List<String> formats(List<String> given, List<String> defaults, List<String> known, String at) {
    if (given == null) {
      return defaults;
    }
    if (given.isEmpty()) {
      error(at, "empty; leave it out for the default " + defaults + " or list some of " + known);
    }
    List<String> result = new ArrayList<>();
    for (int i = 0; i < given.size(); i++) {
      String format = given.get(i);
      if (!known.contains(format)) {
        error(at + "/" + i, "unknown format \"" + format + "\"; supported: " + String.join(", ", known));
      } else if (result.contains(format)) {
        error(at + "/" + i, "\"" + format + "\" is listed twice");
      } else {
        result.add(format);
      }
    }
    return result;
  }

  private ApprovalSpec approval(ApprovalSpec raw) {
    boolean beforeUpload = raw.beforeUpload() == null || raw.beforeUpload();
    String timeout = timeout(raw.timeout(), "/approval/timeout", "72h");
    String reminder = timeout(raw.reminder(), "/approval/reminder", "24h");
    List<String> approvers = raw.approvers() == null ? List.of() : List.copyOf(raw.approvers());
    for (int i = 0; i < approvers.size(); i++) {
      if (approvers.get(i) == null || approvers.get(i).isBlank()) {
        error("/approval/approvers/" + i, "empty name; list the operators allowed to approve");
      }
    }
    return new ApprovalSpec(beforeUpload, timeout, reminder, approvers);
  }

  private String timeout(String timeout, String at, String defaultValue) {
    String value = timeout == null ? defaultValue : timeout;
    Duration d = Durations.tryParse(value).orElse(null);
    if (d == null) {
      error(at, "\"" + value + "\" is not a duration; write e.g. 90s, 30m, 2h or 1h30m");
    } else if (d.isZero() || d.isNegative() || d.compareTo(MAX_TIMEOUT) > 0) {
      error(at, "\"" + value + "\" is out of range; use more than 0s and at most 30d");
    }
    return value;
  }

  private Map<String, String> env(Map<String, String> env, String at) {
    if (env == null) {
      return Map.of();
    }
    Map<String, String> result = new LinkedHashMap<>();
    env.forEach((name, value) -> {
      if (!ENV_NAME.matcher(name).matches()) {
        error(at + "/" + name, "\"" + name + "\" is not a valid environment variable name");
      } else if (RESERVED_ENV.contains(name)) {
        error(at + "/" + name, name + " is set by the engine and cannot be overridden");
      } else {
        result.put(name, value == null ? "" : value);
      }
    });
    return result;
  }

  private String required(String value, String at, Pattern pattern, String allowed) {
    if (value == null || value.isBlank()) {
      error(at, "missing");
    } else if (!pattern.matcher(value).matches()) {
      error(at, "\"" + value + "\" is not allowed; use " + allowed);
    }
    return value;
  }

  private String expand(String text, String at) {
    if (text == null) {
      return null;
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = placeholders.get(m.group(1));
      if (value == null) {
        error(at, "unknown placeholder {" + m.group(1) + "}; known: {project}, {version}");
        value = m.group();
      }
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private void error(String pointer, String message) {
    errors.add(new SpecError(dotted(pointer), lineOf(lines, pointer), message));
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

  static int lineOf(Map<String, Integer> lines, String pointer) {
    String p = pointer;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      if (p.isEmpty()) {
        return 0;
      }
      p = p.substring(0, p.lastIndexOf('/'));
    }
  }

  /** {@code /upload/0/url} becomes {@code upload[0].url}. */
  static String dotted(String pointer) {
    StringBuilder sb = new StringBuilder();
    for (String part : pointer.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      if (part.chars().allMatch(Character::isDigit)) {
        sb.append('[').append(part).append(']');
      } else {
        sb.append(sb.length() == 0 ? "" : ".").append(part);
      }
    }
    return sb.length() == 0 ? "(file)" : sb.toString();
  }


  static String knownKeys(Class<?> type) {
    if (!type.isRecord()) {
      return "check the spelling";
    }
    return "known keys here: " + Arrays.stream(type.getRecordComponents())
        .map(java.lang.reflect.RecordComponent::getName)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  private static List<String> sortedList(Set<String> set) {
    return set.stream().sorted().toList();
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

}
