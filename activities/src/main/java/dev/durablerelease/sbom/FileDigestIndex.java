package dev.durablerelease.sbom;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.durablerelease.archive.FileDigest;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
  /** Fields a later engine may add are skipped: workers of two versions can share a store. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();
  private static final ObjectReader LINES = JSON.readerFor(FileDigest.class);

  /** The record of one archive: which blob lists its files. */
  record Pointer(String index) {}

  private FileDigestIndex() {}

  /**
   * Stores the index of the files of {@code archives} (every format of one build holds the same files) and points each
   * archive at it. {@code scratch} is a file to write the index to before it is stored; it is deleted.
   */
  public static void save(ArtifactStore store, Path scratch, List<FileDigest> files, List<ArtifactRef> archives)
      throws IOException {
    ArtifactRef index;
    try {
      try (OutputStream out = Files.newOutputStream(scratch);
          SequenceWriter lines = JSON.writerFor(FileDigest.class).withRootValueSeparator("\n").writeValues(out)) {
        lines.writeAll(files);
      }
      // the kind only names the returned reference, which is not kept
      index = store.put(scratch, scratch.getFileName().toString(), ArtifactKind.SBOM);
    } finally {
      Files.deleteIfExists(scratch);
    }
    for (ArtifactRef archive : archives) {
      store.writeRecord(key(archive.sha256()), JSON.writeValueAsBytes(new Pointer(index.sha256())));
    }
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
