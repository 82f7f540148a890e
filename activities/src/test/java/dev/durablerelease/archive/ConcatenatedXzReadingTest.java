package dev.durablerelease.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tar.xz of several .xz streams (as buildSource writes large trees) is read whole by the SBOM and test stages. */
class ConcatenatedXzReadingTest {
  @TempDir
  Path tmp;

  @Test
  void readerAndUnpackerSeeEveryFileAcrossStreams() throws Exception {
    Map<String, String> files = new TreeMap<>();
    for (int i = 0; i < 40; i++) {
      files.put("top/file-" + i + ".txt", ("line " + i + "\n").repeat(200));
    }
    ByteArrayOutputStream xz = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new ParallelXzOutputStream(xz, 1, 16 * 1024))) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    }
    Files.write(tmp.resolve("a.tar.xz"), xz.toByteArray());
    Process list = new ProcessBuilder("xz", "--robot", "--list", tmp.resolve("a.tar.xz").toString()).start();
    String streams = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(list.waitFor()).isZero();
    assertThat(streams.lines().filter(l -> l.startsWith("file\t")).findFirst().orElseThrow().split("\t")[1])
        .as("streams").isNotEqualTo("1");

    Map<String, String> read = new TreeMap<>();
    ArchiveReader.forEachFile("a.tar.xz", new ByteArrayInputStream(xz.toByteArray()),
        (path, size, content) -> read.put(path, new String(content.readAllBytes(), StandardCharsets.UTF_8)));
    assertThat(read).isEqualTo(files);

    ArchiveUnpacker.unpack(new ByteArrayInputStream(xz.toByteArray()), tmp.resolve("out"));
    for (Map.Entry<String, String> f : files.entrySet()) {
      assertThat(tmp.resolve("out").resolve(f.getKey())).hasContent(f.getValue());
    }
  }
}
