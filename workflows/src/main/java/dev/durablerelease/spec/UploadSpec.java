package dev.durablerelease.spec;

/**
 * One publication target. Secrets appear only as references ({@code env:NAME}, {@code file:/PATH}), resolved on the
 * upload worker.
 *
 * @param url where the release's files go: {@code file:///srv/releases/{project}/{version}/},
 *     {@code sftp://user@host:22/srv/releases/{version}/}, {@code s3://bucket/prefix/{version}/} or a WebDAV folder,
 *     {@code https://user@host/releases/{version}/}
 * @param key sftp: the private key, {@code file:/PATH} (OpenSSH or PEM format)
 * @param password sftp (instead of or as well as a key), https (basic auth): {@code env:NAME} or {@code file:/PATH}
 * @param knownHosts sftp: absolute path of a known_hosts file that lists the server's host key
 * @param hostKey sftp: the server's host key fingerprint, {@code SHA256:...} (as {@code ssh-keygen -lf} prints it)
 * @param endpoint s3: the endpoint of an S3-compatible store, e.g. {@code http://minio:9000}
 * @param region s3: the region (default us-east-1)
 * @param pathStyle s3: address buckets by path, not by host name (most S3-compatible stores want this)
 * @param accessKeyId s3: {@code env:NAME} or {@code file:/PATH}; with secretAccessKey, else the SDK's default chain
 * @param secretAccessKey s3: {@code env:NAME} or {@code file:/PATH}
 */
public record UploadSpec(String url, String key, String password, String knownHosts, String hostKey, String endpoint,
    String region, Boolean pathStyle, String accessKeyId, String secretAccessKey) {

  public UploadSpec(String url) {
    this(url, null, null, null, null, null, null, null, null, null);
  }

  /** The same target at another URL (after placeholders are expanded). */
  public UploadSpec withUrl(String newUrl) {
    return new UploadSpec(newUrl, key, password, knownHosts, hostKey, endpoint, region, pathStyle, accessKeyId,
        secretAccessKey);
  }
}
