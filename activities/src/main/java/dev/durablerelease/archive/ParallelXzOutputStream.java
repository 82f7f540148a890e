package dev.durablerelease.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * {@code .xz} compressed on all cores: the input is cut into chunks, each compressed into its own .xz stream, and the
 * streams are concatenated (the .xz format allows it; {@code xz -d}, {@code xz -t} and GNU tar read them as one file).
 * Each chunk starts with an empty dictionary, which costs about 1.5% of size per extra chunk on source trees, so
 * chunks are large: half the input, rounded up to 1 MiB, between 8 MiB and three dictionaries (as {@code xz -T} does). The chunk size
 * depends only on the input's size, never on the number of cores, so the bytes are the same on every machine.
 */
public final class ParallelXzOutputStream extends BlockCompressorOutputStream {
  private static final ArrayCache CACHE = BasicArrayCache.getInstance();
  private static final ExecutorService POOL = pool("xz-compressor");
  private static final int MIN_CHUNK = 8 << 20;

  private final int preset;

  /**
   * @param expectedSize about how many bytes will be written; it decides the chunk size (any estimate works, but
   *     the same input must always give the same estimate)
   */
  public ParallelXzOutputStream(OutputStream out, int preset, long expectedSize) throws IOException {
    this(out, preset, chunkSize(preset, expectedSize));
  }

  ParallelXzOutputStream(OutputStream out, int preset, int chunkSize) {
    super(out, chunkSize, POOL, THREADS);
    this.preset = preset;
  }

  static int chunkSize(int preset, long expectedSize) throws IOException {
    long max = 3L * new LZMA2Options(preset).getDictSize();
    long half = ((expectedSize / 2) + (1 << 20) - 1) & -(1L << 20); // rounded up to 1 MiB
    return (int) Math.min(max, Math.max(MIN_CHUNK, half));
  }

  @Override
  byte[] compress(byte[] block, int length, byte[] previous, boolean last) throws IOException {
    if (length == 0 && previous != null) {
      return new byte[0]; // the input ended on a chunk boundary: no empty stream at the end
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(length / 4 + 1024);
    try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(preset), XZ.CHECK_CRC64, CACHE)) {
      xz.write(block, 0, length);
    }
    return out.toByteArray();
  }
}
