package dev.durablerelease.rebuild;

import dev.durablerelease.rebuild.FileComparison.Side;
import dev.durablerelease.store.Digests;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * The first difference between two archives of the same name that should be byte-identical: the first entry whose
 * path, order, content, mode, time, owner, type, link target or headers differ, or, when every entry is the same, the
 * layer below it (the tar stream between the entries, or the compression).
 */
final class ArchiveComparison {
  private static final int SHORT_DIGEST = 12;
  private static final String CONTENT = "content";
  private static final String COMPRESSION = "compression";

  private ArchiveComparison() {}

  /**
   * What an entry is, as far as it can differ. {@code fields} holds each attribute by the word a message uses for
   * it, in the order they are reported.
   */
  private record Entry(String path, Map<String, String> fields) {}

  static String firstDifference(String name, Side a, Side b) throws IOException {
    List<Entry> left;
    List<Entry> right;
    try {
      left = entries(name, a.file());
    } catch (IOException e) {
      return "cannot be read as " + format(name) + " (" + a.label() + "): " + e.getMessage();
    }
    try {
      right = entries(name, b.file());
    } catch (IOException e) {
      return "cannot be read as " + format(name) + " (" + b.label() + "): " + e.getMessage();
    }
    String entry = entryDifference(left, right, a.label(), b.label());
    return entry != null ? entry : layerDifference(name, a, b);
  }

  /** The first entry that is missing, out of order or different, or null when every entry is the same. */
  private static String entryDifference(List<Entry> left, List<Entry> right, String leftLabel, String rightLabel) {
    int shared = Math.min(left.size(), right.size());
    for (int i = 0; i < shared; i++) {
      Entry l = left.get(i);
      Entry r = right.get(i);
      if (!l.path().equals(r.path())) {
        return orderOrMissing(i, left, right, leftLabel, rightLabel);
      }
      List<String> differing = new ArrayList<>();
      l.fields().forEach((field, value) -> {
        String other = r.fields().get(field);
        // other content compresses to another size: that says nothing more
        boolean followsFromContent = field.equals(COMPRESSION)
            && differing.stream().anyMatch(d -> d.startsWith(CONTENT + " "));
        if (!Objects.equals(value, other) && !followsFromContent) {
          differing.add(field + " " + value + " (" + leftLabel + ") vs " + other + " (" + rightLabel + ")");
        }
      });
      if (!differing.isEmpty()) {
        return l.path() + ": " + String.join("; ", differing);
      }
    }
    if (left.size() != right.size()) {
      return orderOrMissing(shared, left, right, leftLabel, rightLabel);
    }
    return null;
  }

  private static String orderOrMissing(int i, List<Entry> left, List<Entry> right, String leftLabel,
      String rightLabel) {
    Set<String> leftPaths = paths(left);
    Set<String> rightPaths = paths(right);
    String l = i < left.size() ? left.get(i).path() : null;
    String r = i < right.size() ? right.get(i).path() : null;
    if (l != null && !rightPaths.contains(l)) {
      return l + ": only in the " + leftLabel + " archive";
    }
    if (r != null && !leftPaths.contains(r)) {
      return r + ": only in the " + rightLabel + " archive";
    }
    return "order: entry " + (i + 1) + " is " + l + " (" + leftLabel + ") vs " + r + " (" + rightLabel + ")";
  }

  private static Set<String> paths(List<Entry> entries) {
    Set<String> paths = new HashSet<>();
    entries.forEach(e -> paths.add(e.path()));
    return paths;
  }

  /** Every entry is the same: the difference is in the tar stream between them, or in the compression. */
  private static String layerDifference(String name, Side a, Side b) throws IOException {
    if (name.endsWith(".zip")) {
      return "every entry is the same; the zip's headers or central directory differ from byte "
          + Files.mismatch(a.file(), b.file());
    }
    long tar;
    try (InputStream left = decompressed(name, a.file()); InputStream right = decompressed(name, b.file())) {
      tar = FileComparison.mismatch(left, right);
    }
    if (tar >= 0) {
      return "every entry is the same; the tar streams differ from byte " + tar
          + " (header fields or padding outside what an entry says)";
    }
    return "the same tar inside; the " + (name.endsWith(".tar.xz") ? "xz" : "gzip") + " compression differs from byte "
        + Files.mismatch(a.file(), b.file()) + " (another compressor, level or library version)";
  }

  private static String format(String name) {
    if (name.endsWith(".zip")) {
      return "zip";
    }
    return name.endsWith(".tar.xz") ? "tar.xz" : "tar.gz";
  }

  private static InputStream decompressed(String name, Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    return name.endsWith(".tar.xz") ? new XZCompressorInputStream(in, true) : new GzipCompressorInputStream(in, true);
  }

  private static List<Entry> entries(String name, Path file) throws IOException {
    return name.endsWith(".zip") ? zipEntries(file) : tarEntries(name, file);
  }

  private static List<Entry> tarEntries(String name, Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new BufferedInputStream(decompressed(name, file), 1 << 16), "UTF-8")) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("type", e.isDirectory() ? "directory" : e.isSymbolicLink() ? "symlink" : e.isLink() ? "hard link"
            : e.isFile() ? "file" : "type " + (char) e.getLinkFlag());
        fields.put(CONTENT, content(e.getSize(), tar));
        fields.put("mode", String.format("%04o", e.getMode() & 07777));
        fields.put("time", e.getLastModifiedTime().toInstant().toString());
        fields.put("owner", e.getLongUserId() + ":" + e.getLongGroupId() + " (" + e.getUserName() + ":"
            + e.getGroupName() + ")");
        fields.put("link", e.getLinkName());
        fields.put("PAX headers", new TreeMap<>(e.getExtraPaxHeaders()).toString());
        entries.add(new Entry(e.getName(), fields));
      }
    }
    return entries;
  }

  private static List<Entry> zipEntries(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (ZipFile zip = ZipFile.builder().setPath(file).get()) {
      for (ZipArchiveEntry e : Collections.list(zip.getEntriesInPhysicalOrder())) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        fields.put("type", e.isDirectory() ? "directory" : e.isUnixSymlink() ? "symlink" : "file");
        try (InputStream in = zip.getInputStream(e)) {
          fields.put(CONTENT, content(e.getSize(), in));
        }
        fields.put("mode", String.format("%04o", e.getUnixMode() & 07777));
        fields.put("time", e.getLastModifiedTime().toInstant().toString());
        fields.put(COMPRESSION, "method " + e.getMethod() + ", " + e.getCompressedSize() + " bytes");
        fields.put("extra fields", HexFormat.of().formatHex(e.getExtra()) + "/"
            + HexFormat.of().formatHex(e.getCentralDirectoryExtra()));
        fields.put("comment", String.valueOf(e.getComment()));
        entries.add(new Entry(e.getName(), fields));
      }
    }
    return entries;
  }

  /** Size and a short SHA-256 of an entry's content (the stream is read to the entry's end). */
  private static String content(long size, InputStream in) throws IOException {
    return size + " bytes, sha256 " + Digests.sha256Hex(in).substring(0, SHORT_DIGEST);
  }
}
