package dev.durablerelease.archive;

import static dev.durablerelease.testing.Tools.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
  void xzInputsOverTwoChunksAreCutEveryChunkIntoConcatenatedStreamsThatXzReadsAsOneFile() throws Exception {
    byte[] data = sample();
    int chunk = 400_000; // over two chunks: cut every chunk, four streams, the last one partial
    byte[] xz = compress(data, out -> new ParallelXzOutputStream(out, 6, chunk), 7919);
    assertThat(compress(data, out -> new ParallelXzOutputStream(out, 6, chunk), 1 << 20)).isEqualTo(xz);
    assertThat(new XZInputStream(new java.io.ByteArrayInputStream(xz)).readAllBytes()).isEqualTo(data);

    Files.write(tmp.resolve("data.xz"), xz);
    run(tmp, "xz", "-t", "data.xz");
    assertThat(run(tmp, "xz", "--robot", "--list", "data.xz")).contains("totals\t4\t4"); // 4 streams, 4 blocks
    run(tmp, "sh", "-c", "xz -dc data.xz > data");
    assertThat(Files.readAllBytes(tmp.resolve("data"))).isEqualTo(data);

    // exactly two chunks and not a byte more: held whole and cut once
    byte[] two = compress(Arrays.copyOf(data, 2 * chunk), out -> new ParallelXzOutputStream(out, 6, chunk), 4096);
    Files.write(tmp.resolve("two.xz"), two);
    assertThat(run(tmp, "xz", "--robot", "--list", "two.xz")).contains("totals\t2\t2");
  }

  @Test
  void anXzInputOfUpToTwoChunksIsCutOnceWhereTheCompressionWorkIsHalved() throws Exception {
    // 640 KiB of random letters (many symbols to code) before 1.6 MiB of one repeated paragraph (almost none): a cut
    // at the middle byte would give one stream nearly all the work
    Random random = new Random(7);
    byte[] costly = new byte[640 << 10];
    for (int i = 0; i < costly.length; i++) {
      costly[i] = (byte) ('a' + random.nextInt(26));
    }
    byte[] cheap = "the same paragraph, over and over again\n".repeat(42_000).getBytes(StandardCharsets.US_ASCII);
    byte[] data = new byte[costly.length + cheap.length];
    System.arraycopy(costly, 0, data, 0, costly.length);
    System.arraycopy(cheap, 0, data, costly.length, cheap.length);
    int chunk = 3 << 20; // one dictionary of 1 MiB

    int cut = ParallelXzOutputStream.balancedCut(data, data.length);
    assertThat(cut).isBetween(256 << 10, 448 << 10); // about half of the random letters, on a 64 KiB boundary
    assertThat(cut % (64 << 10)).isZero();

    byte[] xz = compress(data, out -> new ParallelXzOutputStream(out, 6, chunk), 7919);
    assertThat(compress(data, out -> new ParallelXzOutputStream(out, 6, chunk), 1 << 20)).isEqualTo(xz);
    Files.write(tmp.resolve("data.xz"), xz);
    run(tmp, "xz", "-t", "data.xz");
    String list = run(tmp, "xz", "--robot", "--list", "--verbose", "data.xz");
    assertThat(list).contains("totals\t2\t2");
    assertThat(list.lines().filter(l -> l.startsWith("stream\t")).map(l -> l.split("\t")[6]))
        .as("uncompressed size of each stream").containsExactly(String.valueOf(cut), String.valueOf(data.length - cut));
    run(tmp, "sh", "-c", "xz -dc data.xz > data");
    assertThat(Files.readAllBytes(tmp.resolve("data"))).isEqualTo(data);
  }

  @Test
  void xzInputsShorterThanADictionaryStayOneStreamAndNoInputIsOneEmptyStream() throws Exception {
    int chunk = 3 << 20;
    byte[] small = Arrays.copyOf(sample(), (1 << 20) - 1);
    Files.write(tmp.resolve("small.xz"), compress(small, out -> new ParallelXzOutputStream(out, 6, chunk), 4096));
    assertThat(run(tmp, "xz", "--robot", "--list", "small.xz")).contains("totals\t1\t1");

    Files.write(tmp.resolve("empty.xz"), compress(new byte[0], out -> new ParallelXzOutputStream(out, 6, chunk), 1));
    run(tmp, "xz", "-t", "empty.xz");
    assertThat(run(tmp, "xz", "--robot", "--list", "empty.xz")).contains("file\t1\t"); // one stream
  }
}
