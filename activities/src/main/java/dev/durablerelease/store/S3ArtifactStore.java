package dev.durablerelease.store;

import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The artifact store in an S3-compatible bucket, shared by workers on several hosts: blobs under
 * {@code <prefix>blobs/sha256/ab/<digest>}, records under {@code <prefix>records/<key>.json}. Uploads carry their
 * SHA-256 so the server refuses damaged bytes; reads re-hash while streaming; records are created with a conditional
 * write (If-None-Match), so two workers never clobber each other's records.
 */
public final class S3ArtifactStore implements ArtifactStore {
  /** Blobs above this size go up in parts, so that memory and retries stay bounded. */
  static final long MULTIPART_THRESHOLD = 16L << 20;
  static final int PART_SIZE = 8 << 20;
  /** CopyObject's limit: larger blobs are copied in parts of this size. */
  private static final long COPY_LIMIT = 5L << 30;

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  /** @param prefix key prefix, empty or ending in {@code /} */
  public S3ArtifactStore(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  @Override
  public ArtifactRef put(Path file, String name, ArtifactKind kind) throws IOException {
    String sha256 = Digests.sha256Hex(file);
    long size = Files.size(file);
    if (!contains(sha256)) {
      if (size > MULTIPART_THRESHOLD) {
        putInParts(file, blobKey(sha256));
      } else {
        s3.putObject(b -> b.bucket(bucket).key(blobKey(sha256)).checksumAlgorithm(ChecksumAlgorithm.SHA256)
            .checksumSHA256(base64(sha256)), RequestBody.fromFile(file));
      }
    }
    return new ArtifactRef(name, kind, sha256, size);
  }

  private void putInParts(Path file, String key) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      S3Multipart.upload(s3, bucket, key, in, PART_SIZE);
    }
  }

  @Override
  public InputStream open(String sha256) throws IOException {
    try {
      return new VerifyingInputStream(s3.getObject(b -> b.bucket(bucket).key(blobKey(sha256))), sha256, location(),
          () -> quarantine(sha256), false);
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(blobKey(sha256), null,
          "blob sha256:" + sha256 + " is not in the store " + location());
    }
  }

  @Override
  public boolean contains(String sha256) {
    try {
      s3.headObject(b -> b.bucket(bucket).key(blobKey(sha256)));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public Optional<byte[]> readRecord(String key) {
    try {
      return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(recordKey(key))).asByteArray());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  @Override
  public boolean createRecord(String key, byte[] json) {
    try {
      s3.putObject(b -> b.bucket(bucket).key(recordKey(key)).ifNoneMatch("*"), RequestBody.fromBytes(json));
      return true;
    } catch (S3Exception e) {
      // 412: a record is already there; 409: another writer's conditional write is in flight
      if (e.statusCode() == 412 || e.statusCode() == 409) {
        // the SDK retries a put whose answer was lost, and the retry meets the record the first try wrote:
        // our own bytes there mean this call did create it
        return readRecord(key).map(existing -> Arrays.equals(existing, json)).orElse(false);
      }
      throw e;
    }
  }

  @Override
  public void writeRecord(String key, byte[] json) {
    s3.putObject(b -> b.bucket(bucket).key(recordKey(key)), RequestBody.fromBytes(json));
  }

  @Override
  public List<String> listRecords(String folder) {
    String start = prefix + StoreKeys.recordFolder(folder);
    List<String> names = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(start).delimiter("/")).contents()
        .forEach(object -> {
          String name = StoreKeys.recordName(object.key().substring(start.length()));
          if (name != null) {
            names.add(name);
          }
        });
    return names;
  }

  @Override
  public String location() {
    return "s3://" + bucket + "/" + prefix;
  }

  /** Moves a damaged blob aside (kept for a look at what happened), so that the next put stores it afresh. */
  private String quarantine(String sha256) {
    String key = blobKey(sha256);
    String quarantined = prefix + "quarantine/" + sha256 + "-" + UUID.randomUUID();
    long size;
    try {
      size = s3.headObject(b -> b.bucket(bucket).key(key)).contentLength();
    } catch (NoSuchKeyException e) {
      return "another reader has already moved it to quarantine";
    }
    if (size > COPY_LIMIT) {
      S3Multipart.copy(s3, bucket, key, quarantined, size, COPY_LIMIT, false);
    } else {
      s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(quarantined));
    }
    s3.deleteObject(b -> b.bucket(bucket).key(key));
    return "it was moved to quarantine as s3://" + bucket + "/" + quarantined
        + ", so a stage that makes it again stores it afresh";
  }

  /** The object holding a blob; tests use it to corrupt one. */
  String blobKey(String sha256) {
    return prefix + StoreKeys.blob(sha256);
  }

  private String recordKey(String key) {
    return prefix + StoreKeys.record(key);
  }

  private static String base64(String hex) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
  }
}
