package dev.durablerelease.publish;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.store.Digests;
import dev.durablerelease.store.S3Multipart;
import dev.durablerelease.store.Stores;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@code s3://bucket/prefix/} target (AWS or an S3-compatible store), over the AWS SDK v2. Uploads carry their
 * SHA-256, so the store refuses damaged bytes; S3 has no rename, so a staged object is copied into place (only if
 * nothing is there), then deleted.
 * The SDK retries throttling and 5xx answers with backoff; what is left after that is retried by Temporal. Large files
 * go up in parts ({@link S3Multipart}): S3 takes at most 5 GiB in one PUT; every file is copied into place in parts.
 */
final class S3Target implements PublishTarget {
  /** Above this, a file goes up in parts of {@link #UPLOAD_PART} bytes, one held in memory at a time. */
  static final long UPLOAD_IN_PARTS_ABOVE = 64L << 20;
  static final int UPLOAD_PART = 16 << 20;
  /** A staged file is copied into place in parts of this size (a part copy takes at most 5 GiB). */
  static final long COPY_PART = 1L << 30;

  /** Where parts begin and how large they are: the constants above, smaller in tests. */
  record PartSizes(long uploadInPartsAbove, int uploadPart, long copyPart) {}

  private final String url;
  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final PartSizes parts;

  private S3Target(String url, S3Client s3, String bucket, String prefix, PartSizes parts) {
    this.url = url;
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
    this.parts = parts;
  }

  static S3Target open(TargetPolicy target, Map<String, String> env) {
    URI uri = URI.create(target.url());
    AwsCredentialsProvider credentials = target.accessKeyId() == null
        ? DefaultCredentialsProvider.builder().build()
        : StaticCredentialsProvider.create(AwsBasicCredentials.create(
            References.resolve(target.accessKeyId(), "accessKeyId", env),
            References.resolve(target.secretAccessKey(), "secretAccessKey", env)));
    S3Client s3 = Stores.s3Client(target.endpoint(), target.region(), Boolean.TRUE.equals(target.pathStyle()), credentials);
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
    return new S3Target(target.url(), s3, uri.getHost(), path,
        new PartSizes(UPLOAD_IN_PARTS_ABOVE, UPLOAD_PART, COPY_PART));
  }

  /** This target with other part sizes (tests use small ones, to cross the limits with small files). */
  S3Target withPartSizes(PartSizes sizes) {
    return new S3Target(url, s3, bucket, prefix, sizes);
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public long size(String path) throws IOException {
    HeadObjectResponse head = head(path, false);
    return head == null ? -1 : head.contentLength();
  }

  @Override
  public Optional<String> sha256(String path) throws IOException {
    HeadObjectResponse head = head(path, true);
    if (head == null) {
      return Optional.empty();
    }
    // a whole-object SHA-256 checksum the store keeps is as good as reading the object back
    String checksum = head.checksumSHA256();
    if (checksum != null && !checksum.contains("-")) {
      return Optional.of(HexFormat.of().formatHex(Base64.getDecoder().decode(checksum)));
    }
    try (InputStream in = call(() -> s3.getObject(b -> b.bucket(bucket).key(prefix + path)))) {
      return Optional.of(Digests.sha256Hex(in));
    }
  }

  @Override
  public InputStream read(String path) throws IOException {
    return call(() -> s3.getObject(b -> b.bucket(bucket).key(prefix + path)));
  }

  @Override
  public void write(String path, long size, String sha256, Content content) throws IOException {
    if (size > parts.uploadInPartsAbove()) {
      // each part carries its own SHA-256; the object then has no whole-object one, so it is verified by reading
      try (InputStream in = content.open()) {
        call(() -> {
          try {
            S3Multipart.upload(s3, bucket, prefix + path, in, parts.uploadPart());
            return null;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      }
      return;
    }
    String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
    call(() -> s3.putObject(b -> b.bucket(bucket).key(prefix + path).checksumAlgorithm(ChecksumAlgorithm.SHA256)
        .checksumSHA256(checksum), RequestBody.fromContentProvider(() -> {
          try {
            return content.open();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, size, "application/octet-stream")));
  }

  /**
   * Copies the staged object into place only if nothing is there (a multipart copy whose completion carries
   * If-None-Match), then deletes it. The copy has no whole-object SHA-256, so a later check reads it back.
   */
  @Override
  public void move(String from, String to) throws IOException {
    long size = size(from);
    if (size < 0) {
      throw new IOException(url + from + " is not staged any more; the next attempt stages it again");
    }
    call(() -> {
      try {
        if (size == 0) {
          s3.putObject(b -> b.bucket(bucket).key(prefix + to).ifNoneMatch("*"), RequestBody.empty());
        } else {
          S3Multipart.copy(s3, bucket, prefix + from, prefix + to, size, parts.copyPart(), true);
        }
      } catch (S3Exception e) {
        if (e.statusCode() == 412) {
          throw new UncheckedIOException(new FileAlreadyExistsException(url + to, null, "an object appeared there"
              + " after the check; the store refused to replace it (If-None-Match answered HTTP 412)"));
        }
        throw e;
      }
      return null;
    });
    call(() -> s3.deleteObject(b -> b.bucket(bucket).key(prefix + from)));
  }

  @Override
  public void delete(String path) throws IOException {
    call(() -> s3.deleteObject(b -> b.bucket(bucket).key(prefix + path)));
  }

  @Override
  public void deleteFolder(String path) throws IOException {
    String folder = prefix + (path.endsWith("/") ? path : path + "/");
    for (S3Object object : call(() -> s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(folder)).contents()
        .stream().toList())) {
      call(() -> s3.deleteObject(b -> b.bucket(bucket).key(object.key())));
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  private HeadObjectResponse head(String path, boolean checksum) throws IOException {
    try {
      return call(() -> s3.headObject(b -> {
        b.bucket(bucket).key(prefix + path);
        if (checksum) {
          b.checksumMode(ChecksumMode.ENABLED);
        }
      }));
    } catch (NoSuchKeyException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  /**
   * Runs one S3 call: refused credentials and a missing bucket are non-retryable failures that say so; other store
   * and network errors are retryable I/O errors.
   */
  private <T> T call(Supplier<T> request) throws IOException {
    try {
      return request.get();
    } catch (NoSuchKeyException e) {
      throw e;
    } catch (S3Exception e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      if (e.statusCode() == 403 || "InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
        throw new StageFailure(Failures.TARGET_REFUSED, url + ": the store refused the credentials (" + code
            + "); check accessKeyId/secretAccessKey, or the worker's AWS credentials, and the bucket policy");
      }
      if ("NoSuchBucket".equals(code)) {
        throw new StageFailure(Failures.TARGET_REFUSED, url + ": bucket " + bucket + " does not exist; create it"
            + " or fix the URL");
      }
      if (e.statusCode() == 404) {
        throw e;
      }
      throw new IOException(url + ": " + e.getMessage(), e);
    } catch (SdkClientException e) {
      if (String.valueOf(e.getMessage()).contains("Unable to load credentials")) {
        throw new StageFailure(Failures.TARGET_REFUSED, url + ": no AWS credentials on this upload worker ("
            + e.getMessage() + "); give accessKeyId/secretAccessKey references or set up the default chain");
      }
      throw new IOException(url + ": " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
