package dev.durablerelease.config;

import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.version.DerivedNames;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The policy's {@code targets:}: each target's URL, credentials (as references) and the projects granted it. */
final class TargetsValidator {
  static final Set<String> SCHEMES = Set.of("file", "sftp", "s3", "https", "http");

  private static final Pattern SECRET_REFERENCE = Pattern.compile("env:[A-Za-z_][A-Za-z0-9_]*|file:/.+");
  private static final Set<String> LOOPBACK_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]");
  private static final Pattern HOST_KEY_FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}=?");

  /** Every placeholder a target URL may use, with a stand-in value for checking the URL's form. */
  private static final Map<String, String> PLACEHOLDERS = placeholders();

  private final Findings findings;

  TargetsValidator(Findings findings) {
    this.findings = findings;
  }

  Map<String, TargetPolicy> normalize(Map<String, TargetPolicy> targets) {
    Map<String, TargetPolicy> result = new LinkedHashMap<>();
    targets.forEach((name, target) -> {
      String base = "/targets/" + name;
      if (!UploadValidator.TARGET_NAME.matcher(name).matches()) {
        findings.error(base, "\"" + name + "\" is not a target name (letters, digits, '.', '_' and '-')");
        return;
      }
      TargetPolicy checked = target == null ? null : target(target, base);
      if (checked != null) {
        result.put(name, checked);
      }
    });
    return Map.copyOf(result);
  }

  private TargetPolicy target(TargetPolicy target, String base) {
    int before = findings.count();
    List<String> projects = target.projects();
    if (projects == null || projects.isEmpty()) {
      findings.error(base + "/projects", "missing; list the projects that may publish here, e.g. [hello], or [\"*\"]"
          + " for any");
    } else if ((projects.size() > 1 || projects.contains("*")) && target.url() != null
        && !target.url().contains("{project}")) {
      findings.error(base + "/url", "the target is granted to several projects but its URL has no {project}: one"
          + " project could publish over another's files; put {project} in the URL, e.g. …/releases/{project}/");
    }
    findings.levels(target.levels(), base + "/releases");
    String at = base + "/url";
    String url = target.url();
    if (url == null || url.isBlank()) {
      findings.error(at, "missing; give the target's root URL, e.g. file:///srv/releases/{project}/");
      return null;
    }
    try {
      String unknown = DerivedNames.firstMissing(url, PLACEHOLDERS);
      if (unknown != null) {
        findings.error(at, "unknown placeholder {" + unknown + "} in \"" + url + "\"; known: "
            + String.join(", ", PLACEHOLDERS.keySet().stream().map(k -> "{" + k + "}").toList()));
        return null;
      }
      URI uri = new URI(DerivedNames.expand(url, PLACEHOLDERS));
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!SCHEMES.contains(scheme)) {
        findings.error(at, "unsupported target \"" + url + "\"; supported: " + SCHEMES.stream().sorted()
            .map(s -> s + "://").collect(Collectors.joining(", ")));
        return null;
      }
      switch (scheme) {
        case "sftp" -> sftp(uri, target, base);
        case "s3" -> s3(uri, target, base);
        case "https", "http" -> webDav(uri, target, base);
        default -> {
          if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
            findings.error(at, "\"" + url + "\" needs an absolute path, e.g. file:///srv/releases/");
          }
          onlyFor(target.password(), base + "/password", "sftp:// and https://");
          sftpOnly(target, base);
          s3Only(target, base);
        }
      }
    } catch (URISyntaxException e) {
      findings.error(at, "\"" + url + "\" is not a valid URL: " + e.getReason());
    }
    return findings.count() == before ? target.withUrl(url.endsWith("/") ? url : url + "/") : null;
  }

  private static Map<String, String> placeholders() {
    Map<String, String> values = new LinkedHashMap<>();
    values.put("project", "p");
    values.put("version", "v");
    DerivedNames.FROM_VERSION.forEach(name -> values.put(name, "v"));
    return values;
  }

  private void sftp(URI uri, TargetPolicy target, String base) {
    if (uri.getHost() == null || uri.getUserInfo() == null || uri.getUserInfo().isBlank()) {
      findings.error(base + "/url", "\"" + uri + "\" needs a user and a host, e.g."
          + " sftp://release@downloads.example.org:22/srv/releases/");
    } else if (uri.getUserInfo().contains(":")) {
      findings.error(base + "/url", "no password in the URL; give password: env:NAME (or a key) instead");
    }
    if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
      findings.error(base + "/url", "\"" + uri + "\" needs an absolute path on the server, e.g."
          + " sftp://release@host/srv/releases/");
    }
    if (target.key() == null && target.password() == null) {
      findings.error(base + "/key", "missing; give the private key as file:/PATH (or password: env:NAME)");
    }
    if (target.key() != null && !target.key().matches("file:/.+")) {
      findings.error(base + "/key", "must be file:/ABSOLUTE/PATH of the private key on the upload worker");
    }
    secretReference(target.password(), base + "/password");
    if ((target.knownHosts() == null) == (target.hostKey() == null)) {
      findings.error(base + "/knownHosts", "give exactly one of knownHosts (a known_hosts file) or hostKey"
          + " (SHA256:...); an unknown host key is never accepted");
    }
    if (target.knownHosts() != null && !target.knownHosts().startsWith("/")) {
      findings.error(base + "/knownHosts", "\"" + target.knownHosts() + "\" must be an absolute path on the upload"
          + " worker");
    }
    if (target.hostKey() != null && !HOST_KEY_FINGERPRINT.matcher(target.hostKey()).matches()) {
      findings.error(base + "/hostKey", "\"" + target.hostKey() + "\" is not a SHA-256 fingerprint; write it as"
          + " ssh-keygen -lf prints it, e.g. SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s");
    }
    s3Only(target, base);
  }

  private void s3(URI uri, TargetPolicy target, String base) {
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      findings.error(base + "/url", "\"" + uri + "\" names no bucket; write s3://BUCKET/PREFIX/");
    }
    if (target.endpoint() != null) {
      try {
        URI endpoint = new URI(target.endpoint());
        if (!Set.of("http", "https").contains(String.valueOf(endpoint.getScheme())) || endpoint.getHost() == null) {
          findings.error(base + "/endpoint", "\"" + target.endpoint() + "\" is not an http(s) URL, e.g."
              + " http://minio:9000");
        }
      } catch (URISyntaxException e) {
        findings.error(base + "/endpoint", "\"" + target.endpoint() + "\" is not a valid URL: " + e.getReason());
      }
    }
    if (target.region() != null && !target.region().matches("[a-z0-9-]+")) {
      findings.error(base + "/region", "\"" + target.region() + "\" is not a region name, e.g. eu-west-1");
    }
    if ((target.accessKeyId() == null) != (target.secretAccessKey() == null)) {
      findings.error(base + "/accessKeyId", "give both accessKeyId and secretAccessKey, or neither (the AWS SDK's"
          + " default credentials: environment, profile, instance role)");
    }
    secretReference(target.accessKeyId(), base + "/accessKeyId");
    secretReference(target.secretAccessKey(), base + "/secretAccessKey");
    onlyFor(target.password(), base + "/password", "sftp:// and https://");
    sftpOnly(target, base);
  }

  private void webDav(URI uri, TargetPolicy target, String base) {
    if (uri.getHost() == null || uri.getHost().isBlank()) {
      findings.error(base + "/url", "\"" + uri + "\" has no host");
    } else if (uri.getScheme().equalsIgnoreCase("http") && !LOOPBACK_HOSTS.contains(uri.getHost())) {
      findings.error(base + "/url", "plain http:// would send the password in clear; use https:// (http:// only on"
          + " loopback)");
    }
    if (uri.getUserInfo() != null && uri.getUserInfo().contains(":")) {
      findings.error(base + "/url", "no password in the URL; give password: env:NAME instead");
    }
    if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
      findings.error(base + "/url", "\"" + uri + "\" needs a path, e.g. https://deployer@repo.example.org/releases/");
    }
    if (target.password() != null && uri.getUserInfo() == null) {
      findings.error(base + "/password", "a password needs a user: put it in the URL, https://USER@host/path/");
    }
    secretReference(target.password(), base + "/password");
    sftpOnly(target, base);
    s3Only(target, base);
  }

  private void sftpOnly(TargetPolicy target, String base) {
    onlyFor(target.key(), base + "/key", "sftp://");
    onlyFor(target.knownHosts(), base + "/knownHosts", "sftp://");
    onlyFor(target.hostKey(), base + "/hostKey", "sftp://");
  }

  private void s3Only(TargetPolicy target, String base) {
    onlyFor(target.endpoint(), base + "/endpoint", "s3://");
    onlyFor(target.region(), base + "/region", "s3://");
    onlyFor(target.pathStyle(), base + "/pathStyle", "s3://");
    onlyFor(target.accessKeyId(), base + "/accessKeyId", "s3://");
    onlyFor(target.secretAccessKey(), base + "/secretAccessKey", "s3://");
  }

  private void onlyFor(Object value, String at, String schemes) {
    if (value != null) {
      findings.error(at, "only " + schemes + " targets use it; remove it here");
    }
  }

  private void secretReference(String value, String at) {
    if (value != null && !SECRET_REFERENCE.matcher(value).matches()) {
      // the value is not repeated: a pasted secret must not end up in error messages and logs
      findings.error(at, "must be a reference, not the secret: env:NAME or file:/ABSOLUTE/PATH, read on the upload"
          + " worker");
    }
  }
}
