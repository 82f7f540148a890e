package dev.durablerelease.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Large objects in parts, as S3 requires beyond 5 GiB (one PUT, or one CopyObject, takes at most that): an upload of a
 * stream, each part carrying its SHA-256 so the store refuses damaged bytes, and a copy within the store in byte
 * ranges. A failure aborts the multipart upload, so that no parts are left behind.
 */
public final class S3Multipart {
  private S3Multipart() {}

  /** Uploads what {@code in} holds to {@code key}, {@code partSize} bytes per part (the last may be smaller). */
  public static void upload(S3Client s3, String bucket, String key, InputStream in, int partSize)
      throws IOException {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(key)
        .checksumAlgorithm(ChecksumAlgorithm.SHA256)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      byte[] buffer = new byte[partSize];
      for (int number = 1; ; number++) {
        int n = in.readNBytes(buffer, 0, partSize);
        if (n == 0) {
          break;
        }
        byte[] part = n == partSize ? buffer : Arrays.copyOf(buffer, n);
        String checksum = Base64.getEncoder().encodeToString(Digests.sha256().digest(part));
        int partNumber = number;
        String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
            .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumSHA256(checksum), RequestBody.fromBytes(part)).eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).checksumSHA256(checksum).build());
      }
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId)
          .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    } catch (IOException | RuntimeException e) {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
      throw e;
    }
  }

  /**
   * Copies {@code from}, {@code size} bytes long (at least 1), to {@code to} in the same bucket, {@code partSize} bytes a
   * part. With {@code onlyIfAbsent}, the copy completes only if nothing is at {@code to} by then (If-None-Match, which
   * S3 and S3-compatible stores honour on CompleteMultipartUpload even where CopyObject ignores it); else S3 answers
   * 412 and the upload is aborted.
   */
  public static void copy(S3Client s3, String bucket, String from, String to, long size, long partSize,
      boolean onlyIfAbsent) {
    String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket).key(to)).uploadId();
    try {
      List<CompletedPart> parts = new ArrayList<>();
      for (long first = 0; first < size; first += partSize) {
        int partNumber = parts.size() + 1;
        String range = "bytes=" + first + "-" + (Math.min(size, first + partSize) - 1);
        String etag = s3.uploadPartCopy(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket)
            .destinationKey(to).uploadId(uploadId).partNumber(partNumber).copySourceRange(range))
            .copyPartResult().eTag();
        parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
      }
      s3.completeMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId).ifNoneMatch(onlyIfAbsent ? "*" : null)
          .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
    } catch (RuntimeException e) {
      s3.abortMultipartUpload(b -> b.bucket(bucket).key(to).uploadId(uploadId));
      throw e;
    }
  }
}
