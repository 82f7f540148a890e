package dev.durablerelease.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.tukaani.xz.ArrayCache;
import org.tukaani.xz.BasicArrayCache;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * {@code .xz} compressed on all cores: the input is cut into chunks, each compressed into its own .xz stream, and the
 * streams are concatenated (the .xz format allows it; {@code xz -d}, {@code xz -t} and GNU tar read them as one file).
 * Each chunk starts with an empty dictionary, which costs about 1% of size per cut on source trees, so cuts are few:
 * <ul>
 *   <li>an input of at most two chunks (a chunk is three dictionaries, as {@code xz -T} does: 24 MiB at preset 6) is
 *       held whole and cut once, where a quick estimate puts half the compression work on each side. LZMA's work per
 *       byte varies several-fold within a tree (curl's first half costs twice its second), so a cut at the middle
 *       byte would leave one core idle for a third of the time;</li>
 *   <li>a larger input is cut every chunk as it streams, with at most one chunk per core in flight;</li>
 *   <li>an input shorter than one dictionary stays one stream.</li>
 * </ul>
 * Cuts depend only on the input, never on the number of cores or the JVM, so the bytes are the same on every machine.
 */
public final class ParallelXzOutputStream extends OutputStream {
  private static final ArrayCache CACHE = BasicArrayCache.getInstance();
  private static final ExecutorService POOL = BlockCompressorOutputStream.pool("xz-compressor");
  static final int PIECE = 64 << 10;
  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final OutputStream out;
  private final int preset;
  private final int chunkSize;
  private byte[] held = new byte[1 << 20];
  private int heldLength;
  private FixedChunks chunks; // once the input outgrows two chunks
  private boolean closed;

  public ParallelXzOutputStream(OutputStream out, int preset) throws IOException {
    this(out, preset, chunkSize(preset));
  }

  /** Three dictionaries of the preset, as {@code xz -T} sizes its blocks. */
  static int chunkSize(int preset) throws IOException {
    return 3 * new LZMA2Options(preset).getDictSize();
  }

  ParallelXzOutputStream(OutputStream out, int preset, int chunkSize) {
    this.out = out;
    this.preset = preset;
    this.chunkSize = chunkSize;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (chunks == null && (long) heldLength + len > 2L * chunkSize) {
      chunks = new FixedChunks(out, preset, chunkSize);
      chunks.write(held, 0, heldLength);
      held = null;
    }
    if (chunks != null) {
      chunks.write(b, off, len);
      return;
    }
    if (heldLength + len > held.length) {
      held = Arrays.copyOf(held, (int) Math.min(2L * chunkSize, Math.max(heldLength + len, 2L * held.length)));
    }
    System.arraycopy(b, off, held, heldLength, len);
    heldLength += len;
  }

  /** Compresses what is held (or the last chunk), writes it and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    if (chunks != null) {
      chunks.close();
      return;
    }
    try (out) {
      byte[] data = held;
      int length = heldLength;
      int cut = length < chunkSize / 3 ? length : balancedCut(data, length);
      Future<byte[]> first = POOL.submit(() -> stream(data, 0, cut, preset));
      Future<byte[]> second = cut < length ? POOL.submit(() -> stream(data, cut, length - cut, preset)) : null;
      out.write(BlockCompressorOutputStream.await(first));
      if (second != null) {
        out.write(BlockCompressorOutputStream.await(second));
      }
    }
  }

  /**
   * Where to cut so that both sides take about as long to compress. LZMA's time goes into the symbols it codes, so
   * each 64 KiB piece is priced by the symbols a quick greedy LZ77 pass codes for it (about 30 ms for 20 MB), and the
   * cut falls on the piece boundary nearest half the total price, leaving at least one piece on each side. Integer
   * arithmetic only: the same input gives the same cut on every JVM.
   */
  static int balancedCut(byte[] data, int length) {
    int pieces = (length + PIECE - 1) / PIECE;
    long[] price = IntStream.range(0, pieces).parallel()
        .mapToLong(i -> greedySymbols(data, i * PIECE, Math.min(PIECE, length - i * PIECE))).toArray();
    long half = LongStream.of(price).sum() / 2;
    long sum = 0;
    int piece = 0;
    while (sum + price[piece] <= half) {
      sum += price[piece++];
    }
    return Math.max(1, Math.min(piece, pieces - 1)) * PIECE;
  }

  /** Literals and matches of a greedy LZ77 pass that finds matches through a 4096-slot table of 4-byte sequences. */
  static long greedySymbols(byte[] b, int off, int len) {
    int[] lastSeen = new int[4096];
    Arrays.fill(lastSeen, -1);
    int end = off + len;
    int i = off;
    long symbols = 0;
    while (i + 4 <= end) {
      int word = (int) INT.get(b, i);
      int slot = (word * 0x9E3779B1) >>> 20;
      int candidate = lastSeen[slot];
      lastSeen[slot] = i;
      symbols++;
      if (candidate >= 0 && (int) INT.get(b, candidate) == word) {
        int differs = Arrays.mismatch(b, candidate + 4, candidate + end - i, b, i + 4, end);
        i = differs < 0 ? end : i + 4 + differs;
      } else {
        i++;
      }
    }
    return symbols + (end - i);
  }

  private static byte[] stream(byte[] data, int off, int len, int preset) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(len / 4 + 1024);
    try (XZOutputStream xz = new XZOutputStream(out, new LZMA2Options(preset), XZ.CHECK_CRC64, CACHE)) {
      xz.write(data, off, len);
    }
    return out.toByteArray();
  }

  /** Inputs larger than two chunks: one stream per chunk, compressed as the input arrives. */
  private static final class FixedChunks extends BlockCompressorOutputStream {
    private final int preset;

    FixedChunks(OutputStream out, int preset, int chunkSize) {
      super(out, chunkSize, POOL, THREADS);
      this.preset = preset;
    }

    @Override
    byte[] compress(byte[] block, int length, byte[] previous, boolean last) throws IOException {
      if (length == 0) {
        return new byte[0]; // the input ended on a chunk boundary: no empty stream at the end
      }
      return stream(block, 0, length, preset);
    }
  }
}
