package dev.durablerelease.command;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** The last lines of a command's log, for heartbeats, limit diagnosis and failure messages. */
public final class LogTail {
  /** How much of the log's end is read: enough for the lines asked for, whatever the log's size. */
  private static final int WINDOW = 8192;

  private LogTail() {}

  /** Up to {@code lines} last lines of the log (fewer when the last {@value #WINDOW} bytes hold fewer). */
  public static String of(Path log, int lines) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
      long length = file.length();
      int window = (int) Math.min(length, WINDOW);
      byte[] bytes = new byte[window];
      file.seek(length - window);
      file.readFully(bytes);
      String text = new String(bytes, StandardCharsets.UTF_8);
      String[] all = text.split("\n", -1);
      int end = text.endsWith("\n") ? all.length - 1 : all.length;
      int from = Math.max(0, end - lines);
      // the first line of a partial window may be cut; drop it unless the window is the whole file
      if (from == 0 && window < length && end > 1) {
        from = 1;
      }
      return String.join("\n", Arrays.asList(all).subList(from, end));
    }
  }
}
