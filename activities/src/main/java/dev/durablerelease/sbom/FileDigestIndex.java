package dev.durablerelease.sbom;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SequenceWriter;
import dev.durablerelease.archive.FileDigest;
import dev.durablerelease.store.ArtifactStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The digests of every regular file of the source archives, taken by buildSource as it writes them (each file's
 * bytes pass there anyway), so that generateSbom need not read and decompress the archives again. One blob for all
 * the formats of a build, JSON lines in archive order ({@code {"path":…,"size":…,"sha1":…,"sha256":…}}), and one
 * small record per archive, {@code file-digests/<archive sha256>} = {@code {"index":<blob sha256>}}. An
 * archive without a record (a docs archive, or one built by an earlier engine) is read instead.
 */
public final class FileDigestIndex {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectReader LINES = JSON.readerFor(FileDigest.class);

  /** The record of one archive: which blob lists its files. */
  record Pointer(String index) {}

  private FileDigestIndex() {}

  /** The index blob's content. */
  public static byte[] encode(List<FileDigest> files) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (SequenceWriter lines = JSON.writerFor(FileDigest.class).withRootValueSeparator("\n").writeValues(out)) {
      lines.writeAll(files);
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** Points the archive with this digest at the stored index blob of its files. */
  public static void link(ArtifactStore store, String archiveSha256, String indexSha256) throws IOException {
    store.writeRecord(key(archiveSha256), JSON.writeValueAsBytes(new Pointer(indexSha256)));
  }

  /** The files of the archive with this digest, if buildSource indexed them and the index is still stored. */
  static Optional<List<FileDigest>> find(ArtifactStore store, String archiveSha256) throws IOException {
    Optional<byte[]> record = store.readRecord(key(archiveSha256));
    if (record.isEmpty()) {
      return Optional.empty();
    }
    Pointer pointer = JSON.readValue(record.get(), Pointer.class);
    if (!store.contains(pointer.index())) {
      return Optional.empty();
    }
    byte[] index;
    try (InputStream in = store.open(pointer.index())) { // verified against its digest as it is read
      index = in.readAllBytes();
    }
    return Optional.of(LINES.<FileDigest>readValues(index).readAll());
  }

  private static String key(String archiveSha256) {
    return "file-digests/" + archiveSha256;
  }
}
