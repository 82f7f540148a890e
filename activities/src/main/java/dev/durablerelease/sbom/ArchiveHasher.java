package dev.durablerelease.sbom;

import dev.durablerelease.activities.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.archive.ArchiveReader;
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
 * decompresses and hands each file's bytes, in chunks, to a pool that hashes files side by side; the bytes read but
 * not yet hashed are capped, so memory grows with the number of files, never with their sizes.
 */
final class ArchiveHasher {
  private static final int CHUNK = 1 << 20;
  private static final int IN_FLIGHT = 32 << 20;
  /** Files whose content is kept (a merged SPDX document) must be small. */
  private static final int MAX_KEPT = 16 << 20;
  private static final byte[] END = new byte[0];

  /**
   * @param files every regular file in archive order
   * @param kept content of the files the caller asked to keep, by archive path
   */
  record Result(List<FileDigest> files, Map<String, byte[]> kept) {}

  private ArchiveHasher() {}

  static Result hash(String archiveName, InputStream archive, Predicate<String> keep) throws IOException {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "sbom-hash");
      t.setDaemon(true);
      return t;
    });
    Semaphore budget = new Semaphore(IN_FLIGHT);
    List<Future<FileDigest>> pending = new ArrayList<>();
    Map<String, byte[]> kept = new HashMap<>();
    try {
      ArchiveReader.forEachFile(archiveName, archive, (path, size, in) -> {
        BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        pending.add(pool.submit(() -> digest(path, chunks, budget)));
        ByteArrayOutputStream copy = keep.test(path) ? new ByteArrayOutputStream() : null;
        byte[] chunk;
        do {
          chunk = in.readNBytes(CHUNK);
          try {
            budget.acquire(chunk.length);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing " + path);
          }
          chunks.add(chunk);
          if (copy != null) {
            if (copy.size() + chunk.length > MAX_KEPT) {
              throw new StageFailure(Failures.SBOM_MISMATCH, path + " (sbom.merge) is larger than "
                  + (MAX_KEPT >> 20) + " MiB: too large for an SPDX document of vendored components");
            }
            copy.write(chunk);
          }
        } while (chunk.length == CHUNK);
        chunks.add(END);
        if (copy != null) {
          kept.put(path, copy.toByteArray());
        }
      });
      List<FileDigest> files = new ArrayList<>(pending.size());
      for (Future<FileDigest> f : pending) {
        files.add(f.get());
      }
      return new Result(files, kept);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while hashing " + archiveName);
    } catch (ExecutionException e) {
      throw new IOException("hashing a file of " + archiveName + " failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static FileDigest digest(String path, BlockingQueue<byte[]> chunks, Semaphore budget)
      throws InterruptedException {
    MessageDigest sha1 = Digests.sha1();
    MessageDigest sha256 = Digests.sha256();
    byte[] chunk;
    while ((chunk = chunks.take()) != END) {
      sha1.update(chunk);
      sha256.update(chunk);
      budget.release(chunk.length);
    }
    return new FileDigest(path, Digests.hex(sha1.digest()), Digests.hex(sha256.digest()));
  }
}
