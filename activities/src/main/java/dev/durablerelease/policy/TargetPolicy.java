package dev.durablerelease.policy;

import java.util.List;

/**
 * A named publish target; read on the upload worker only. Secrets appear only as references ({@code env:NAME},
 * {@code file:/PATH}), resolved there.
 *
 * @param url the target's root: {@code file:///srv/releases/{project}/}, {@code sftp://user@host:22/srv/releases/},
 *     {@code s3://bucket/prefix/} or a WebDAV folder {@code https://user@host/releases/}; {@code {project}} and
 *     {@code {version}} are expanded, and a release's own {@code path} is appended
 * @param key sftp: the private key, {@code file:/PATH} (OpenSSH or PEM format)
 * @param password sftp (instead of or as well as a key), https (basic auth): {@code env:NAME} or {@code file:/PATH}
 * @param knownHosts sftp: absolute path of a known_hosts file that lists the server's host key
 * @param hostKey sftp: the server's host key fingerprint, {@code SHA256:...} (as {@code ssh-keygen -lf} prints it)
 * @param endpoint s3: the endpoint of an S3-compatible store, e.g. {@code http://minio:9000}
 * @param region s3: the region (default us-east-1)
 * @param pathStyle s3: address buckets by path, not by host name (most S3-compatible stores want this)
 * @param accessKeyId s3: {@code env:NAME} or {@code file:/PATH}; with secretAccessKey, else the SDK's default chain
 * @param secretAccessKey s3: {@code env:NAME} or {@code file:/PATH}
 * @param projects the projects that may publish here ({@code "*"}: any)
 * @param releases the release levels it takes, e.g. {@code [final]}; empty: every release. A release of another
 *     level leaves it out (its upload shows {@code skipped (pre-release)} when no target is left)
 */
public record TargetPolicy(String url, String key, String password, String knownHosts, String hostKey,
    String endpoint, String region, Boolean pathStyle, String accessKeyId, String secretAccessKey,
    List<String> projects, List<String> releases) {

  public TargetPolicy(String url, String key, String password, String knownHosts, String hostKey, String endpoint,
      String region, Boolean pathStyle, String accessKeyId, String secretAccessKey, List<String> projects) {
    this(url, key, password, knownHosts, hostKey, endpoint, region, pathStyle, accessKeyId, secretAccessKey, projects,
        null);
  }

  /** A target with nothing but a URL (a folder on the upload worker, say). */
  public static TargetPolicy at(String url, List<String> projects) {
    return new TargetPolicy(url, null, null, null, null, null, null, null, null, null, projects, null);
  }

  /** The same target at another URL (with placeholders expanded and a release's path appended). */
  public TargetPolicy withUrl(String newUrl) {
    return new TargetPolicy(newUrl, key, password, knownHosts, hostKey, endpoint, region, pathStyle, accessKeyId,
        secretAccessKey, projects, releases);
  }

  public List<String> levels() {
    return releases == null ? List.of() : releases;
  }

  public boolean grantedTo(String project) {
    return projects != null && (projects.contains("*") || projects.contains(project));
  }
}
