package dev.durablerelease.archive;

import static dev.durablerelease.testing.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.XZInputStream;

class ParallelCompressionTest {
  @TempDir
  Path tmp;

  /** 1.3 MB of text-like data with repeats far apart, so that blocks and their dictionaries matter. */
  private static byte[] sample() {
    Random random = new Random(42);
    StringBuilder sb = new StringBuilder();
    String[] words = {"archive", "release", "tag", "commit", "tree", "blob", "durable", "workflow", "gzip", "xz"};
    while (sb.length() < 1_300_000) {
      sb.append(words[random.nextInt(words.length)]).append(random.nextInt(1000)).append(random.nextBoolean() ? ' ' : '\n');
    }
    return sb.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private interface Compressor {
    OutputStream open(OutputStream out) throws IOException;
  }

  private static byte[] compress(byte[] data, Compressor compressor, int writeSize) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream c = compressor.open(out)) {
      for (int off = 0; off < data.length; off += writeSize) {
        c.write(data, off, Math.min(writeSize, data.length - off));
      }
    }
    return out.toByteArray();
  }

  @Test
  void gzipBlocksJoinIntoOneMemberThatGzipReadsAndTheBytesDoNotDependOnWriteSizes() throws Exception {
    byte[] data = sample();
    byte[] gz = compress(data, out -> new ParallelGzipOutputStream(out, 9), 7919);
    assertThat(compress(data, out -> new ParallelGzipOutputStream(out, 9), 1 << 20)).isEqualTo(gz);
    assertThat(new GZIPInputStream(new java.io.ByteArrayInputStream(gz)).readAllBytes()).isEqualTo(data);

    Files.write(tmp.resolve("data.gz"), gz);
    run(tmp, "gzip", "-t", "data.gz");
    assertThat(run(tmp, "gzip", "-lv", "data.gz")).contains(" 1300"); // one member, the full size
    run(tmp, "sh", "-c", "gzip -dc data.gz > data");
    assertThat(Files.readAllBytes(tmp.resolve("data"))).isEqualTo(data);

    // within a fraction of a percent of gzip -9 itself
    Files.write(tmp.resolve("plain"), data);
    run(tmp, "sh", "-c", "gzip -n -9 -c plain > plain.gz");
    assertThat((double) gz.length).isLessThan(Files.size(tmp.resolve("plain.gz")) * 1.01);
  }

  @Test
  void emptyInputIsAValidGzipFile() throws Exception {
    Files.write(tmp.resolve("empty.gz"), compress(new byte[0], out -> new ParallelGzipOutputStream(out, 9), 1));
    run(tmp, "gzip", "-t", "empty.gz");
  }

  @Test
  void xzChunksAreConcatenatedStreamsThatXzReadsAsOneFile() throws Exception {
    byte[] data = sample();
    int chunk = 400_000; // four chunks, the last one partial
    byte[] xz = compress(data, out -> new ParallelXzOutputStream(out, 6, chunk), 7919);
    assertThat(compress(data, out -> new ParallelXzOutputStream(out, 6, chunk), 1 << 20)).isEqualTo(xz);
    assertThat(new XZInputStream(new java.io.ByteArrayInputStream(xz)).readAllBytes()).isEqualTo(data);

    Files.write(tmp.resolve("data.xz"), xz);
    run(tmp, "xz", "-t", "data.xz");
    assertThat(run(tmp, "xz", "--robot", "--list", "data.xz")).contains("totals\t4\t4"); // 4 streams, 4 blocks
    run(tmp, "sh", "-c", "xz -dc data.xz > data");
    assertThat(Files.readAllBytes(tmp.resolve("data"))).isEqualTo(data);

    // no input: one empty stream
    Files.write(tmp.resolve("empty.xz"), compress(new byte[0], out -> new ParallelXzOutputStream(out, 6, chunk), 1));
    run(tmp, "xz", "-t", "empty.xz");

    // exactly one chunk: no empty stream after it
    byte[] exact = compress(java.util.Arrays.copyOf(data, chunk), out -> new ParallelXzOutputStream(out, 6, chunk), 4096);
    Files.write(tmp.resolve("exact.xz"), exact);
    assertThat(run(tmp, "xz", "--robot", "--list", "exact.xz")).contains("totals\t1\t1");
  }
}
