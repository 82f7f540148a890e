package dev.durablerelease.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutorService;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A single gzip member written as {@code gzip -n} does (no name, mtime 0, OS Unix), compressed on all cores the way
 * pigz does it: each 128 KiB block is deflated on its own with the previous 32 KiB as dictionary and ends with a
 * sync flush, so the blocks join into one deflate stream that any gunzip reads. Same input, same bytes.
 */
public final class ParallelGzipOutputStream extends BlockCompressorOutputStream {
  static final int BLOCK = 128 * 1024;
  static final int DICTIONARY = 32 * 1024;
  private static final ExecutorService POOL = pool("gzip-compressor");

  private final int level;
  private final CRC32 crc = new CRC32();
  private long size;

  public ParallelGzipOutputStream(OutputStream out, int level) throws IOException {
    super(out, BLOCK, POOL, 8 * THREADS);
    this.level = level;
    // magic, deflate, no flags, mtime 0, XFL (2 = best compression, 4 = fastest), OS 3 = Unix
    int xfl = level == 9 ? 2 : level == 1 ? 4 : 0;
    out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, (byte) xfl, 3});
  }

  @Override
  void consumed(byte[] b, int off, int len) {
    crc.update(b, off, len);
    size += len;
  }

  @Override
  byte[] compress(byte[] block, int length, byte[] previous, boolean last) {
    Deflater deflater = new Deflater(level, true);
    try {
      if (previous != null) {
        deflater.setDictionary(previous, previous.length - DICTIONARY, DICTIONARY);
      }
      deflater.setInput(block, 0, length);
      ByteArrayOutputStream out = new ByteArrayOutputStream(length / 2 + 64);
      byte[] buffer = new byte[64 * 1024];
      if (last) {
        deflater.finish();
        while (!deflater.finished()) {
          out.write(buffer, 0, deflater.deflate(buffer));
        }
      } else {
        // a sync flush is complete once deflate leaves room in the buffer
        int n;
        do {
          n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
          out.write(buffer, 0, n);
        } while (n == buffer.length);
      }
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  @Override
  void trailer(OutputStream out) throws IOException {
    long c = crc.getValue();
    out.write(new byte[] {(byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24),
        (byte) size, (byte) (size >> 8), (byte) (size >> 16), (byte) (size >> 24)});
  }
}
