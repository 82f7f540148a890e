package dev.durablerelease.git;

import dev.durablerelease.activity.FetchProgress;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.internal.JGitText;
import org.eclipse.jgit.lib.ProgressMonitor;

/**
 * How far the fetches of one activity got, read from another thread (the heartbeat's): JGit's current task and its
 * counts, and the bytes of the pack received so far.
 */
public final class FetchMonitor implements ProgressMonitor {
  private static final String RECEIVING = JGitText.get().receivingObjects;

  private volatile String repository;
  private volatile Path objects;
  private volatile String task;
  private volatile int done;
  private volatile int total;
  private volatile long receivedObjects;
  private volatile long receivedBytes;
  private long objectsBefore;
  private long bytesBefore;

  /** Called by the cache as each fetch starts; bytes add up over the fetches of one activity. */
  void fetching(String repository, Path objects) {
    objectsBefore = receivedObjects;
    bytesBefore = receivedBytes;
    this.repository = repository;
    this.objects = objects;
  }

  /** Where the fetches stand now; null until the first one has started a step. */
  public FetchProgress snapshot() {
    if (repository == null || task == null) {
      return null;
    }
    return new FetchProgress(repository, task, done, total, receivedObjects, receivedBytes());
  }

  /**
   * JGit counts objects but not bytes. It writes the pack it receives to {@code objects/incoming_*.pack} as the bytes
   * arrive, and renames it when the fetch ends, so the size of that file is what has been received.
   */
  private long receivedBytes() {
    Path dir = objects;
    if (dir != null) {
      long incoming = 0;
      try (DirectoryStream<Path> packs = Files.newDirectoryStream(dir, "incoming_*.pack")) {
        for (Path pack : packs) {
          incoming += Files.size(pack);
        }
      } catch (IOException e) {
        // renamed or removed while listed: the next look counts it
      }
      receivedBytes = Math.max(receivedBytes, bytesBefore + incoming);
    }
    return receivedBytes;
  }

  @Override
  public void start(int totalTasks) {}

  @Override
  public void beginTask(String title, int totalWork) {
    receivedBytes();
    task = title;
    done = 0;
    total = Math.max(totalWork, 0);
  }

  @Override
  public void update(int completed) {
    done += completed;
    if (RECEIVING.equals(task)) {
      receivedObjects = objectsBefore + done;
    }
  }

  @Override
  public void endTask() {
    receivedBytes();
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public void showDuration(boolean enabled) {}
}
