package dev.durablerelease.command;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A work folder on a file system of its own: an ext4 image of the disk limit's size, mounted over a loop device, so
 * that a command's writes stop with "No space left on device" at its limit while its files stay readable after it
 * ended (docs outputs are archived then). The image is sparse, so it takes the worker's disk only as the command
 * writes, and it lives on disk: unlike a tmpfs's files, what the command writes does not stay in memory counted
 * against its memory limit. Only root may mount; a worker that cannot gives commands plain folders.
 */
final class WorkDisk {
  private static final Path LOOP_CONTROL = Path.of("/dev/loop-control");
  private static final Path PROC_MOUNTS = Path.of("/proc/self/mounts");
  private static final Pattern MOUNTS_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

  private WorkDisk() {}

  /** Whether this worker can give work folders file systems of their own (tried for real by the runner's probe). */
  static boolean possibleHere(boolean root) {
    return root && Files.exists(LOOP_CONTROL);
  }

  /** Makes an image of {@code bytes} at {@code image} and mounts it on the empty folder {@code folder}. */
  static void mount(Path image, Path folder, long bytes) throws IOException {
    try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
      file.setLength(bytes);
    }
    // no journal (scratch space that dies with the run); inode tables zeroed lazily and never discarded, so making
    // and mounting it writes a few MiB whatever its size
    run("mkfs.ext4", "-q", "-F", "-m", "0", "-O", "^has_journal,^resize_inode",
        "-E", "lazy_itable_init=1,nodiscard", image.toString());
    run("mount", "-t", "ext4", "-o", "loop,nosuid,nodev,noatime,noinit_itable", image.toString(), folder.toString());
    Files.delete(folder.resolve("lost+found"));
  }

  /** Detaches the file system at once; the kernel frees it, and its loop device, when nothing uses it any more. */
  static void unmount(Path folder) throws IOException {
    run("umount", "--lazy", folder.toString());
  }

  /** Unmounts every file system mounted under {@code dir} (the work disks of a dead worker's runs). */
  static void unmountAllUnder(Path dir) throws IOException {
    List<Path> under = new ArrayList<>();
    for (String line : Files.readAllLines(PROC_MOUNTS)) {
      String[] fields = line.split(" ");
      if (fields.length > 1) {
        Path mountPoint = Path.of(unescape(fields[1]));
        if (mountPoint.startsWith(dir) && !mountPoint.equals(dir)) {
          under.add(mountPoint);
        }
      }
    }
    under.sort(Comparator.reverseOrder());
    for (Path mountPoint : under) {
      unmount(mountPoint);
    }
  }

  /** Whether the file system at {@code folder} is full: under 1 MiB left, or no inode left for another file. */
  static boolean full(Path folder) throws IOException {
    String[] free = run("stat", "-f", "--format=%a %S %d", folder.toString()).strip().split(" ");
    long bytesLeft = Long.parseLong(free[0]) * Long.parseLong(free[1]);
    return bytesLeft < Limits.MIB || Long.parseLong(free[2]) == 0;
  }

  /** Runs a host tool with a clean environment; its output, or why it failed, naming the tool. */
  private static String run(String... argv) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", SandboxCommandLine.HOST_PATH);
    Process process = builder.start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", argv) + " failed: " + output.strip());
      }
      return output;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + argv[0], e);
    } finally {
      process.destroyForcibly();
    }
  }

  /** /proc/self/mounts writes a space, tab, newline or backslash in a path as an octal escape. */
  private static String unescape(String field) {
    Matcher m = MOUNTS_ESCAPE.matcher(field);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 8))));
    }
    return m.appendTail(out).toString();
  }
}
