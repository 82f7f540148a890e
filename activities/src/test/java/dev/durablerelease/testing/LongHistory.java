package dev.durablerelease.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A bare repository with a long history, written by {@code git fast-import} (thousands of commits in a second): a tree
 * of {@code files} files under two folders, then one commit per change of one file, tagged at the end.
 */
public final class LongHistory {
  private LongHistory() {}

  /** Creates it in {@code dir}; the last commit is tagged {@code tag} (annotated). */
  public static Path create(Path dir, String tag, int commits, int files) {
    try {
      run(null, "git", "init", "-q", "--bare", "-b", "main", dir.toString());
      StringBuilder stream = new StringBuilder();
      long time = 1_700_000_000L;
      for (int c = 0; c < commits; c++) {
        stream.append("commit refs/heads/main\n");
        stream.append("committer Hello Authors <hello@example.invalid> ").append(time + c * 60L).append(" +0000\n");
        data(stream, "change " + c + "\n");
        if (c == 0) {
          for (int f = 0; f < files; f++) {
            file(stream, f, "file " + f + ", first version\n");
          }
        } else {
          file(stream, c % files, "file " + c % files + ", changed by commit " + c + "\n");
        }
      }
      stream.append("tag ").append(tag).append("\nfrom refs/heads/main\n");
      stream.append("tagger Hello Authors <hello@example.invalid> ").append(time + commits * 60L).append(" +0000\n");
      data(stream, "release " + tag + "\n");
      run(stream.toString(), "git", "--git-dir=" + dir, "fast-import", "--quiet");
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One more commit on top, changing file {@code f}, tagged {@code tag}. */
  public static void change(Path dir, String tag, int f) {
    try {
      StringBuilder stream = new StringBuilder("commit refs/heads/main\n");
      stream.append("committer Hello Authors <hello@example.invalid> 1800000000 +0000\n");
      data(stream, "change for " + tag + "\n");
      stream.append("from refs/heads/main^0\n");
      file(stream, f, "file " + f + ", changed for " + tag + "\n");
      stream.append("tag ").append(tag).append("\nfrom refs/heads/main\n");
      stream.append("tagger Hello Authors <hello@example.invalid> 1800000000 +0000\n");
      data(stream, "release " + tag + "\n");
      run(stream.toString(), "git", "--git-dir=" + dir, "fast-import", "--quiet");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void file(StringBuilder stream, int f, String content) {
    stream.append("M 100644 inline ").append(f % 2 == 0 ? "src/" : "doc/").append("file").append(f).append(".txt\n");
    data(stream, content);
  }

  private static void data(StringBuilder stream, String text) {
    stream.append("data ").append(text.getBytes(StandardCharsets.UTF_8).length).append('\n').append(text).append('\n');
  }

  private static void run(String input, String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      if (input != null) {
        in.write(input.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
