package dev.durablerelease.rebuild;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.archive.ArchiveReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Where two files that should be byte-identical first differ, said as a person fixing a build needs it: for an
 * archive, the path inside it and what differs ({@link ArchiveComparison}); for a JSON document (an SBOM), the JSON
 * pointer of the first differing value; for anything else, the first differing byte.
 */
public final class FileComparison {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One side of a comparison: the file, and how messages name where it came from ("first builder", "rebuilt"). */
  public record Side(Path file, String label) {}

  private FileComparison() {}

  /** The first difference between the two files (both named {@code name}); empty when their bytes are equal. */
  public static Optional<String> firstDifference(String name, Side a, Side b) throws IOException {
    long mismatch = Files.mismatch(a.file(), b.file());
    if (mismatch < 0) {
      return Optional.empty();
    }
    if (ArchiveReader.canRead(name)) {
      return Optional.of(ArchiveComparison.firstDifference(name, a, b));
    }
    if (name.endsWith(".json")) {
      Optional<String> value = jsonDifference(a, b);
      if (value.isPresent()) {
        return value;
      }
      return Optional.of("the same JSON, formatted otherwise from byte " + mismatch);
    }
    return Optional.of("the bytes differ from byte " + mismatch);
  }

  /** The first byte at which two streams differ, or -1 when they hold the same bytes. */
  static long mismatch(InputStream a, InputStream b) throws IOException {
    byte[] bufferA = new byte[1 << 16];
    byte[] bufferB = new byte[1 << 16];
    long offset = 0;
    while (true) {
      int n = a.readNBytes(bufferA, 0, bufferA.length);
      int m = b.readNBytes(bufferB, 0, bufferB.length);
      int at = java.util.Arrays.mismatch(bufferA, 0, n, bufferB, 0, m);
      if (at >= 0) {
        return offset + at;
      }
      if (n == 0) {
        return -1;
      }
      offset += n;
    }
  }

  /** The first value that differs, by JSON pointer; empty when both parse to the same tree (or either does not). */
  private static Optional<String> jsonDifference(Side a, Side b) throws IOException {
    JsonNode left;
    JsonNode right;
    try {
      left = JSON.readTree(a.file().toFile());
      right = JSON.readTree(b.file().toFile());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    return difference("", left, right).map(d -> d.describe(a.label(), b.label()));
  }

  private record ValueDifference(String pointer, String left, String right) {
    String describe(String leftLabel, String rightLabel) {
      return (pointer.isEmpty() ? "/" : pointer) + ": " + left + " (" + leftLabel + ") vs " + right + " ("
          + rightLabel + ")";
    }
  }

  private static Optional<ValueDifference> difference(String pointer, JsonNode left, JsonNode right) {
    if (left.equals(right)) {
      return Optional.empty();
    }
    if (left.isObject() && right.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = left.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        String at = pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
        JsonNode other = right.get(field.getKey());
        if (other == null) {
          return Optional.of(new ValueDifference(at, shorten(field.getValue()), "absent"));
        }
        Optional<ValueDifference> inner = difference(at, field.getValue(), other);
        if (inner.isPresent()) {
          return inner;
        }
      }
      for (Iterator<String> names = right.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!left.has(name)) {
          return Optional.of(new ValueDifference(pointer + "/" + name, "absent", shorten(right.get(name))));
        }
      }
    }
    if (left.isArray() && right.isArray()) {
      for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
        Optional<ValueDifference> inner = difference(pointer + "/" + i, left.get(i), right.get(i));
        if (inner.isPresent()) {
          return inner;
        }
      }
      return Optional.of(new ValueDifference(pointer, left.size() + " items", right.size() + " items"));
    }
    return Optional.of(new ValueDifference(pointer, shorten(left), shorten(right)));
  }

  private static String shorten(JsonNode value) {
    String text = value.toString();
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
