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
  static final List<String> DOCS_FORMATS = SOURCE_FORMATS;
  static final List<String> SBOM_FORMATS = List.of("spdx", "cyclonedx");
  static final Set<String> REPOSITORY_SCHEMES = Set.of("file", "http", "https", "ssh", "git");
  static final Set<String> UPLOAD_SCHEMES = Set.of("file", "sftp", "s3", "https", "http");
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
  private static final Pattern SECRET_REFERENCE = Pattern.compile("env:[A-Za-z_][A-Za-z0-9_]*|file:/.+");
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
  private static final Pattern HOST_KEY_FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

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
    return new CommandSpec(command, timeout, env(raw.env(), at + "/env"), raw.skippable() != null && raw.skippable(),
        limits(raw.limits(), at + "/limits"));
  }

  private LimitsSpec limits(LimitsSpec raw, String at) {
    if (raw == null) {
      return null;
    }
    size(raw.memory(), at + "/memory", "8GiB");
    size(raw.fileSize(), at + "/fileSize", "4GiB");
    size(raw.tmp(), at + "/tmp", "1GiB");
    if (raw.processes() != null && raw.processes() < 1) {
      error(at + "/processes", raw.processes() + " is not a number of processes; write e.g. 1024");
    }
    return raw;
  }

  private void size(String value, String at, String example) {
    if (value != null && SourceSpec.parseSize(value) <= 0) {
      error(at, "\"" + value + "\" is not a size; write e.g. " + example + ", 500MiB or a number of bytes");
    }
  }

  private DocsSpec docs(DocsSpec raw) {
    CommandSpec command = command(
        new CommandSpec(raw.command(), raw.timeout(), raw.env(), raw.skippable(), raw.limits()), "/docs");
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
    return new DocsSpec(command.command(), outputs, formats, command.timeout(), command.skippable(), command.env(),
        command.limits());
  }

  private SbomSpec sbom(SbomSpec raw) {
    SbomSpec s = raw == null ? new SbomSpec(null, null, null) : raw;
    List<String> formats = formats(s.formats(), SBOM_FORMATS, SBOM_FORMATS, "/sbom/formats");
    String purl = purl(expand(s.purl(), "/sbom/purl"), "/sbom/purl");
    String cpe = cpe(expand(s.cpe(), "/sbom/cpe"), "/sbom/cpe");
    String downloadUrl = expand(s.downloadUrl(), "/sbom/downloadUrl");
    if (downloadUrl != null) {
      if (!downloadUrl.matches("https?://[^/\\s]+(/\\S*)?")) {
        error("/sbom/downloadUrl", "\"" + downloadUrl + "\" must be an http(s) URL of the release folder, e.g."
            + " https://downloads.example.org/{project}/{version}/");
      } else if (!downloadUrl.endsWith("/")) {
        downloadUrl = downloadUrl + "/";
      }
    }
    if (s.merge() != null && !treePath(s.merge())) {
      error("/sbom/merge", "\"" + s.merge() + "\" must be a path inside the tree, e.g. Misc/sbom.spdx.json");
    }
    List<SbomPackage> packages = new ArrayList<>();
    List<SbomPackage> given = s.packages() == null ? List.of() : s.packages();
    for (int i = 0; i < given.size(); i++) {
      String at = "/sbom/packages/" + i;
      SbomPackage p = given.get(i);
      if (p == null || p.name() == null || p.name().isBlank()) {
        error(at + "/name", "missing; name the vendored component, e.g. zlib");
        continue;
      }
      if (packages.stream().anyMatch(q -> q.name().equals(p.name()))) {
        error(at + "/name", "\"" + p.name() + "\" is listed twice");
      }
      List<String> paths = p.paths() == null ? List.of() : List.copyOf(p.paths());
      if (paths.isEmpty()) {
        error(at + "/paths", "missing; list the files or folders of " + p.name() + " in the tree, e.g. [vendor/"
            + p.name() + "/]");
      }
      for (int j = 0; j < paths.size(); j++) {
        if (paths.get(j) == null || !treePath(paths.get(j))) {
          error(at + "/paths/" + j, "\"" + paths.get(j) + "\" must be a relative path inside the tree");
        }
      }
      packages.add(new SbomPackage(p.name(), p.version(), p.license(), purl(p.purl(), at + "/purl"),
          cpe(p.cpe(), at + "/cpe"), paths));
    }
    return new SbomSpec(formats, s.supplier(), s.license(), packages, s.merge(), downloadUrl, purl, cpe);
  }

  private String purl(String purl, String at) {
    if (purl != null && !purl.matches("pkg:[A-Za-z][A-Za-z0-9.+-]*/\\S+")) {
      error(at, "\"" + purl + "\" is not a package URL; write pkg:TYPE/NAMESPACE/NAME@VERSION");
    }
    return purl;
  }

  private String cpe(String cpe, String at) {
    if (cpe != null && !cpe.matches("cpe:2\\.3:[aho*-](:[^:\\s]+){10}")) {
      error(at, "\"" + cpe + "\" is not a CPE 2.3 name; write cpe:2.3:a:VENDOR:PRODUCT:VERSION:*:*:*:*:*:*:*");
    }
    return cpe;
  }

  /** A relative path that stays inside the tree. */
  private static boolean treePath(String path) {
    return !path.isBlank() && !path.startsWith("/") && !path.contains("\\")
        && !Arrays.asList(path.split("/")).contains("..");
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
      String base = "/upload/" + i;
      String at = base + "/url";
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
          continue;
        }
        int before = errors.size();
        switch (scheme) {
          case "sftp" -> sftpTarget(uri, target, base);
          case "s3" -> s3Target(uri, target, base);
          case "https", "http" -> webDavTarget(uri, target, base);
          default -> {
            if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
              error(at, "\"" + url + "\" needs an absolute path, e.g. file:///srv/releases/");
            }
            onlyFor(target.password(), base + "/password", "sftp:// and https://");
            sftpOnly(target, base);
            s3Only(target, base);
          }
        }
        if (errors.size() == before) {
          result.add(target.withUrl(url.endsWith("/") ? url : url + "/"));
        }
      } catch (URISyntaxException e) {
        error(at, "\"" + url + "\" is not a valid URL: " + e.getReason());
      }
    }
    return result;
  }

  private void sftpTarget(URI uri, UploadSpec target, String base) {
    if (uri.getHost() == null || uri.getUserInfo() == null || uri.getUserInfo().isBlank()) {
      error(base + "/url", "\"" + uri + "\" needs a user and a host, e.g. sftp://release@downloads.example.org:22"
          + "/srv/releases/");
    } else if (uri.getUserInfo().contains(":")) {
      error(base + "/url", "no password in the URL; give password: env:NAME (or a key) instead");
    }
    if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
      error(base + "/url", "\"" + uri + "\" needs an absolute path on the server, e.g. sftp://release@host/srv/releases/");
    }
    if (target.key() == null && target.password() == null) {
      error(base + "/key", "missing; give the private key as file:/PATH (or password: env:NAME)");
    }
    if (target.key() != null && !target.key().matches("file:/.+")) {
      error(base + "/key", "must be file:/ABSOLUTE/PATH of the private key on the upload worker");
    }
    secretReference(target.password(), base + "/password");
    if ((target.knownHosts() == null) == (target.hostKey() == null)) {
      error(base + "/knownHosts", "give exactly one of knownHosts (a known_hosts file) or hostKey (SHA256:...);"
          + " an unknown host key is never accepted");
    }
    if (target.knownHosts() != null && !target.knownHosts().startsWith("/")) {
      error(base + "/knownHosts", "\"" + target.knownHosts() + "\" must be an absolute path on the upload worker");
    }
    if (target.hostKey() != null && !HOST_KEY_FINGERPRINT.matcher(target.hostKey()).matches()) {
      error(base + "/hostKey", "\"" + target.hostKey() + "\" is not a SHA-256 fingerprint; write it as"
          + " ssh-keygen -lf prints it, e.g. SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
    }
    s3Only(target, base);
  }

  private void s3Target(URI uri, UploadSpec target, String base) {
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      error(base + "/url", "\"" + uri + "\" names no bucket; write s3://BUCKET/PREFIX/");
    }
    if (target.endpoint() != null) {
      try {
        URI endpoint = new URI(target.endpoint());
        if (!Set.of("http", "https").contains(String.valueOf(endpoint.getScheme())) || endpoint.getHost() == null) {
          error(base + "/endpoint", "\"" + target.endpoint() + "\" is not an http(s) URL, e.g. http://minio:9000");
        }
      } catch (URISyntaxException e) {
        error(base + "/endpoint", "\"" + target.endpoint() + "\" is not a valid URL: " + e.getReason());
      }
    }
    if (target.region() != null && !target.region().matches("[a-z0-9-]+")) {
      error(base + "/region", "\"" + target.region() + "\" is not a region name, e.g. eu-west-1");
    }
    if ((target.accessKeyId() == null) != (target.secretAccessKey() == null)) {
      error(base + "/accessKeyId", "give both accessKeyId and secretAccessKey, or neither (the AWS SDK's default"
          + " credentials: environment, profile, instance role)");
    }
    secretReference(target.accessKeyId(), base + "/accessKeyId");
    secretReference(target.secretAccessKey(), base + "/secretAccessKey");
    onlyFor(target.password(), base + "/password", "sftp:// and https://");
    sftpOnly(target, base);
  }

  private void webDavTarget(URI uri, UploadSpec target, String base) {
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      error(base + "/url", "\"" + uri + "\" has no host");
    } else if (uri.getScheme().equalsIgnoreCase("http") && !LOOPBACK_HOSTS.contains(uri.getHost())) {
      error(base + "/url", "plain http:// would send the password in clear; use https:// (http:// only on loopback)");
    }
    if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
      error(base + "/url", "no password in the URL; give password: env:NAME instead");
    }
    if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
      error(base + "/url", "\"" + uri + "\" needs a path, e.g. https://deployer@repo.example.org/releases/");
    }
    if (target.password() != null && uri.getUserInfo() == null) {
      error(base + "/password", "a password needs a user: put it in the URL, https://USER@host/path/");
    }
    secretReference(target.password(), base + "/password");
    sftpOnly(target, base);
    s3Only(target, base);
  }

  private void sftpOnly(UploadSpec target, String base) {
    onlyFor(target.key(), base + "/key", "sftp://");
    onlyFor(target.knownHosts(), base + "/knownHosts", "sftp://");
    onlyFor(target.hostKey(), base + "/hostKey", "sftp://");
  }

  private void s3Only(UploadSpec target, String base) {
    onlyFor(target.endpoint(), base + "/endpoint", "s3://");
    onlyFor(target.region(), base + "/region", "s3://");
    onlyFor(target.pathStyle(), base + "/pathStyle", "s3://");
    onlyFor(target.accessKeyId(), base + "/accessKeyId", "s3://");
    onlyFor(target.secretAccessKey(), base + "/secretAccessKey", "s3://");
  }

  private void onlyFor(Object value, String at, String schemes) {
    if (value != null) {
      error(at, "only " + schemes + " targets use it; remove it here");
    }
  }

  private void secretReference(String value, String at) {
    if (value != null && !SECRET_REFERENCE.matcher(value).matches()) {
      // the value is not repeated: a pasted secret must not end up in error messages and logs
      error(at, "must be a reference, not the secret: env:NAME or file:/ABSOLUTE/PATH, read on the upload worker");
    }
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
