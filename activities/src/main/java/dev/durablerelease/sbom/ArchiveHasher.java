package dev.durablerelease.sbom;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.archive.ArchiveReader;
import dev.durablerelease.archive.FileDigest;
import dev.durablerelease.store.Digests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;

/**
 * Hashes every regular file of an archive with SHA-1 and SHA-256 in a single read of the archive. The calling thread
 * decompresses and hands the bytes to a pool that hashes side by side: small files in batches (a hand-off per file
 * would cost more than hashing it), a large file as a stream of chunks. The bytes read but not yet hashed are capped,
 * so memory grows with the number of files, never with their sizes.
 */
final class ArchiveHasher {
  private static final int CHUNK = 1 << 20;
  private static final int BATCH_BYTES = 1 << 20;
  private static final int BATCH_FILES = 256;
  private static final int IN_FLIGHT = 32 << 20;
  /** Largest merge document kept in memory. */
  static final int MAX_KEPT = 16 << 20;
  private static final byte[] END = new byte[0];

  /**
   * @param files every regular file in archive order
   * @param kept content of the files the caller asked to keep, by archive path
   */
  record Result(List<FileDigest> files, Map<String, byte[]> kept) {}

  /** A file read whole, waiting in a batch. */
  private record SmallFile(String path, byte[] content) {}

  private final ExecutorService pool;
  private final Semaphore budget = new Semaphore(IN_FLIGHT);
  private final List<Future<List<FileDigest>>> pending = new ArrayList<>();
  private final Map<String, byte[]> kept = new HashMap<>();
  private List<SmallFile> batch = new ArrayList<>();
  private int batchBytes;

  private ArchiveHasher(ExecutorService pool) {
    this.pool = pool;
  }

  static Result hash(String archiveName, InputStream archive, Predicate<String> keep) throws IOException {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "sbom-hash");
      t.setDaemon(true);
      return t;
    });
    try {
      ArchiveHasher hasher = new ArchiveHasher(pool);
      ArchiveReader.forEachFile(archiveName, archive,
          (path, size, in) -> hasher.add(path, size, in, keep.test(path)));
      hasher.flush();
      List<FileDigest> files = new ArrayList<>();
      for (Future<List<FileDigest>> f : hasher.pending) {
        files.addAll(f.get());
      }
      return new Result(files, hasher.kept);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing " + archiveName);
    } catch (ExecutionException e) {
      throw new IOException("hashing a file of " + archiveName + " failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private void add(String path, long size, InputStream in, boolean keep) throws IOException {
    // a small file of known size is read straight into an array of its size
    byte[] chunk = size >= 0 && size < CHUNK ? readExactly(path, (int) size, in) : in.readNBytes(CHUNK);
    acquire(chunk.length, path);
    if (chunk.length < CHUNK) {
      batch.add(new SmallFile(path, chunk));
      batchBytes += chunk.length;
      if (keep) {
        kept.put(path, chunk);
      }
      if (batchBytes >= BATCH_BYTES || batch.size() >= BATCH_FILES) {
        flush();
      }
      return;
    }
    // a large file: its own task, fed chunk by chunk as they are read
    flush();
    BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    pending.add(pool.submit(() -> List.of(digest(path, chunks))));
    ByteArrayOutputStream copy = keep ? new ByteArrayOutputStream() : null;
    while (chunk.length > 0) {
      chunks.add(chunk);
      if (copy != null) {
        if (copy.size() + chunk.length > MAX_KEPT) {
          throw new StageFailure(Failures.SBOM_MISMATCH, path + " (sbom.merge) is larger than "
              + (MAX_KEPT >> 20) + " MiB: too large for an SPDX document of vendored components");
        }
        copy.write(chunk);
      }
      if (chunk.length < CHUNK) {
        break;
      }
      chunk = in.readNBytes(CHUNK);
      acquire(chunk.length, path);
    }
    chunks.add(END);
    if (copy != null) {
      kept.put(path, copy.toByteArray());
    }
  }

  private static byte[] readExactly(String path, int size, InputStream in) throws IOException {
    byte[] content = new byte[size];
    if (in.readNBytes(content, 0, size) < size) {
      throw new IOException(path + " is shorter than its header says: the archive is truncated");
    }
    return content;
  }

  private void flush() {
    if (batch.isEmpty()) {
      return;
    }
    List<SmallFile> files = batch;
    batch = new ArrayList<>();
    batchBytes = 0;
    pending.add(pool.submit(() -> {
      List<FileDigest> digests = new ArrayList<>(files.size());
      for (SmallFile f : files) {
        MessageDigest sha1 = Digests.sha1();
        MessageDigest sha256 = Digests.sha256();
        sha1.update(f.content());
        sha256.update(f.content());
        budget.release(f.content().length);
        digests.add(new FileDigest(f.path(), f.content().length, Digests.hex(sha1.digest()),
            Digests.hex(sha256.digest())));
      }
      return digests;
    }));
  }

  private void acquire(int bytes, String path) throws InterruptedIOException {
    try {
      budget.acquire(bytes);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing " + path);
    }
  }

  private FileDigest digest(String path, BlockingQueue<byte[]> chunks) throws InterruptedException {
    MessageDigest sha1 = Digests.sha1();
    MessageDigest sha256 = Digests.sha256();
    long size = 0;
    byte[] chunk;
    while ((chunk = chunks.take()) != END) {
      size += chunk.length;
      sha1.update(chunk);
      sha256.update(chunk);
      budget.release(chunk.length);
    }
    return new FileDigest(path, size, Digests.hex(sha1.digest()), Digests.hex(sha256.digest()));
  }
}
