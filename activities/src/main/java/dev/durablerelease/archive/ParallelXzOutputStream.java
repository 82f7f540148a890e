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
 * {@code .xz} compressed on all cores: the input is cut into fixed-size chunks, each compressed into its own .xz
 * stream, and the streams are concatenated (the .xz format allows it; {@code xz -d}, {@code xz -t} and GNU tar read
 * them as one file). A chunk is three dictionaries long, as in {@code xz -T}, so the size cost is small.
 */
public final class ParallelXzOutputStream extends BlockCompressorOutputStream {
  private static final ArrayCache CACHE = BasicArrayCache.getInstance();
  private static final ExecutorService POOL = pool("xz-compressor");

  private final int preset;

  public ParallelXzOutputStream(OutputStream out, int preset) throws IOException {
    this(out, preset, chunkSize(preset));
  }

  ParallelXzOutputStream(OutputStream out, int preset, int chunkSize) {
    super(out, chunkSize, POOL, THREADS);
    this.preset = preset;
  }

  private static int chunkSize(int preset) throws IOException {
    return 3 * new LZMA2Options(preset).getDictSize();
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
