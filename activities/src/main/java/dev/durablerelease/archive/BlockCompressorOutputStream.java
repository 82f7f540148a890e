package dev.durablerelease.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cuts its input into fixed-size blocks and compresses them on a shared pool of one thread per core, writing the
 * results in input order. Block boundaries depend only on the input and the block size, so the output is the same
 * whatever the number of threads. At most {@code window} blocks are in flight: memory stays bounded for any input.
 */
abstract class BlockCompressorOutputStream extends OutputStream {
  static final int THREADS = Runtime.getRuntime().availableProcessors();

  private final OutputStream out;
  private final int blockSize;
  private final ExecutorService pool;
  private final int window;
  private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
  private byte[] block;
  private int filled;
  private byte[] previous;
  private boolean closed;

  BlockCompressorOutputStream(OutputStream out, int blockSize, ExecutorService pool, int window) {
    this.out = out;
    this.blockSize = blockSize;
    this.pool = pool;
    this.window = window;
    this.block = new byte[blockSize];
  }

  /**
   * One pool per format, one thread per core each: a format's short blocks never queue behind another format's long
   * ones, and the formats of one archive run side by side.
   */
  static ExecutorService pool(String name) {
    return Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Compresses one block; {@code previous} is the block before it (null for the first); runs on the pool. */
  abstract byte[] compress(byte[] block, int length, byte[] previous, boolean last) throws IOException;

  /** Sees every input byte, in order, on the writing thread (e.g. for a checksum). */
  void consumed(byte[] b, int off, int len) {}

  /** Written after the last block. */
  void trailer(OutputStream out) throws IOException {}

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    consumed(b, off, len);
    while (len > 0) {
      int n = Math.min(len, blockSize - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == blockSize) {
        submit(false);
      }
    }
  }

  private void submit(boolean last) throws IOException {
    byte[] data = block;
    int length = filled;
    byte[] before = previous;
    pending.add(pool.submit(() -> compress(data, length, before, last)));
    previous = data;
    block = last ? null : new byte[blockSize];
    filled = 0;
    while (pending.size() > (last ? 0 : window)) {
      out.write(await(pending.poll()));
    }
  }

  static byte[] await(Future<byte[]> future) throws IOException {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  /** Compresses what is left, writes the trailer and closes the underlying stream. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try (out) {
      submit(true);
      trailer(out);
    } finally {
      pending.forEach(f -> f.cancel(true));
    }
  }
}
