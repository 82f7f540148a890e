package dev.durablerelease.command;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The folder of one command run: its {@link #work()} folder is all the command may write, the rest (the log, the
 * output archives) stays the worker's. Closing it removes everything.
 */
public final class RunFolder implements AutoCloseable {
  private final Path dir;
  private final Path work;

  RunFolder(Path dir, Path work) {
    this.dir = dir;
    this.work = work;
  }

  /** The run's folder, for the worker's own files of the run. */
  public Path dir() {
    return dir;
  }

  /** The command's work folder: the only place it may write besides its private /tmp. */
  public Path work() {
    return work;
  }

  @Override
  public void close() throws IOException {
    RunFolders.deleteTree(dir);
  }
}
