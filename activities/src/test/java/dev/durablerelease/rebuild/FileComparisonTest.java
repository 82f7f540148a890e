package dev.durablerelease.rebuild;

import static dev.durablerelease.testing.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.archive.ArchiveEntries;
import dev.durablerelease.archive.ArchiveEntry;
import dev.durablerelease.archive.ArchiveWriter;
import dev.durablerelease.rebuild.FileComparison.Side;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where two archives (or SBOMs) that should be byte-identical first differ, as the builders and a rebuild say it. */
class FileComparisonTest {
  private static final long TIME = 1_793_534_400L; // 2026-11-01T12:00:00Z
  private static final List<String> FORMATS = List.of(ArchiveWriter.TAR_GZ, ArchiveWriter.TAR_XZ, ArchiveWriter.ZIP);

  @TempDir
  Path tmp;

  private static ArchiveEntry file(String path, String content, ArchiveEntry.Type type) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    return new ArchiveEntry(path, type, bytes.length, null, () -> new ByteArrayInputStream(bytes));
  }

  private static List<ArchiveEntry> tree() {
    return ArchiveEntries.withDirectories(List.of(
        file("hello-1.0.0/Makefile", "all:\n\tcc -o hello src/hello.c\n", ArchiveEntry.Type.FILE),
        file("hello-1.0.0/configure", "#!/bin/sh\n", ArchiveEntry.Type.EXECUTABLE),
        file("hello-1.0.0/src/hello.c", "int main(void) { return 0; }\n", ArchiveEntry.Type.FILE)));
  }

  /** The tree, changed, in every format, under {@code name}; returns the folder. */
  private Path write(String name, List<ArchiveEntry> entries, long time) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(name));
    Map<String, Path> outputs = new java.util.LinkedHashMap<>();
    FORMATS.forEach(format -> outputs.put(format, dir.resolve("hello-1.0.0." + format)));
    ArchiveWriter.write(entries, time, outputs);
    return dir;
  }

  private static List<ArchiveEntry> changed(String path, UnaryOperator<ArchiveEntry> change) {
    List<ArchiveEntry> entries = new ArrayList<>();
    tree().forEach(e -> entries.add(e.path().equals(path) ? change.apply(e) : e));
    return entries;
  }

  private Optional<String> compare(Path first, Path second, String format) throws Exception {
    String name = "hello-1.0.0." + format;
    return FileComparison.firstDifference(name, new Side(first.resolve(name), "first builder"),
        new Side(second.resolve(name), "second builder"));
  }

  @Test
  void identicalBuildsHaveNoDifference() throws Exception {
    Path a = write("a", tree(), TIME);
    Path b = write("b", tree(), TIME);
    for (String format : FORMATS) {
      assertThat(compare(a, b, format)).as(format).isEmpty();
    }
  }

  @Test
  void aChangedModeIsNamedWithTheEntryInEveryFormat() throws Exception {
    Path a = write("a", tree(), TIME);
    Path b = write("b", changed("hello-1.0.0/Makefile", e -> new ArchiveEntry(e.path(), ArchiveEntry.Type.EXECUTABLE,
        e.size(), null, e.content())), TIME);
    for (String format : FORMATS) {
      assertThat(compare(a, b, format)).as(format)
          .hasValue("hello-1.0.0/Makefile: mode 0644 (first builder) vs 0755 (second builder)");
    }
  }

  @Test
  void changedContentIsNamedWithSizesAndDigests() throws Exception {
    Path a = write("a", tree(), TIME);
    Path b = write("b", changed("hello-1.0.0/src/hello.c", e -> file(e.path(), "int main(void) { return 1; }\n",
        e.type())), TIME);
    for (String format : FORMATS) {
      assertThat(compare(a, b, format)).as(format).hasValueSatisfying(why -> assertThat(why)
          .startsWith("hello-1.0.0/src/hello.c: content 29 bytes, sha256 ")
          .contains("(first builder) vs 29 bytes, sha256 ").endsWith("(second builder)"));
    }
  }

  @Test
  void anotherTimeOrderOrMissingFileIsNamedAtTheFirstEntryItTouches() throws Exception {
    Path a = write("a", tree(), TIME);
    assertThat(compare(a, write("later", tree(), TIME + 3600), ArchiveWriter.TAR_GZ)).hasValue(
        "hello-1.0.0/: time 2026-11-01T12:00:00Z (first builder) vs 2026-11-01T13:00:00Z (second builder)");

    List<ArchiveEntry> swapped = new ArrayList<>(tree());
    swapped.add(1, swapped.remove(2)); // configure before Makefile: not git's order
    assertThat(compare(a, write("swapped", swapped, TIME), ArchiveWriter.TAR_XZ)).hasValue(
        "order: entry 2 is hello-1.0.0/Makefile (first builder) vs hello-1.0.0/configure (second builder)");

    List<ArchiveEntry> fewer = new ArrayList<>(tree());
    fewer.removeIf(e -> e.path().equals("hello-1.0.0/configure"));
    assertThat(compare(a, write("fewer", fewer, TIME), ArchiveWriter.ZIP))
        .hasValue("hello-1.0.0/configure: only in the first builder archive");
  }

  @Test
  void theSameTarCompressedByAnotherToolIsACompressionDifference() throws Exception {
    Path a = write("a", tree(), TIME);
    Path b = write("b", tree(), TIME);
    run(b, "gzip", "-d", "hello-1.0.0.tar.gz");
    run(b, "gzip", "-n", "-6", "hello-1.0.0.tar");
    run(b, "xz", "-d", "hello-1.0.0.tar.xz");
    run(b, "xz", "-1", "hello-1.0.0.tar");
    assertThat(compare(a, b, ArchiveWriter.TAR_GZ)).hasValueSatisfying(why -> assertThat(why)
        .startsWith("the same tar inside; the gzip compression differs from byte "));
    assertThat(compare(a, b, ArchiveWriter.TAR_XZ)).hasValueSatisfying(why -> assertThat(why)
        .startsWith("the same tar inside; the xz compression differs from byte "));
  }

  @Test
  void jsonDocumentsAreComparedByValueAndNamedByPointer() throws Exception {
    Path a = Files.writeString(tmp.resolve("a.json"),
        "{\"files\": [{\"name\": \"a\", \"sha256\": \"11\"}, {\"name\": \"b\", \"sha256\": \"22\"}]}");
    Path b = Files.writeString(tmp.resolve("b.json"),
        "{\"files\": [{\"name\": \"a\", \"sha256\": \"11\"}, {\"name\": \"b\", \"sha256\": \"33\"}]}");
    Path reformatted = Files.writeString(tmp.resolve("c.json"),
        "{\"files\":[{\"sha256\":\"11\",\"name\":\"a\"},{\"name\":\"b\",\"sha256\":\"22\"}]}");
    assertThat(FileComparison.firstDifference("x.spdx.json", new Side(a, "published"), new Side(b, "rebuilt")))
        .hasValue("/files/1/sha256: \"22\" (published) vs \"33\" (rebuilt)");
    assertThat(FileComparison.firstDifference("x.cdx.json", new Side(a, "published"),
        new Side(reformatted, "rebuilt"))).hasValue("the same JSON, formatted otherwise from byte 9");
  }
}
