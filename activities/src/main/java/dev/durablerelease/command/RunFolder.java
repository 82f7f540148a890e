package dev.durablerelease.command;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The folder of one command run: its {@link #work()} folder is all the command may write (on a file system of its
 * own where the worker can make one), the rest (the log, the output archives) stays the worker's. Closing it removes
 * everything.
 */
public final class RunFolder implements AutoCloseable {
  private final RunFolders folders;
  private final Path dir;
  private final Path work;
  private final boolean ownDisk;
  private final long diskBytes;
  private boolean closed;

  RunFolder(RunFolders folders, Path dir, Path work, boolean ownDisk, long diskBytes) {
    this.folders = folders;
    this.dir = dir;
    this.work = work;
    this.ownDisk = ownDisk;
    this.diskBytes = diskBytes;
  }

  /** The run's folder, for the worker's own files of the run. */
  public Path dir() {
    return dir;
  }

  /** The command's work folder: the only place it may write besides its private /tmp. */
  public Path work() {
    return work;
  }

  /** Whether the work folder is capped at the disk limit by a file system of its own. */
  public boolean hasOwnDisk() {
    return ownDisk;
  }

  /** The disk limit of the work folder, for messages. */
  public String diskLimit() {
    return "the disk limit of " + Limits.mib(diskBytes) + " for the work folder";
  }

  /** Whether the work folder's own file system is full (never, when it has none). */
  public boolean full() throws IOException {
    return ownDisk && WorkDisk.full(work);
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (ownDisk) {
        WorkDisk.unmount(work);
      }
      RunFolders.deleteTree(dir);
    } finally {
      if (ownDisk) {
        folders.release(diskBytes);
      }
    }
  }
}
