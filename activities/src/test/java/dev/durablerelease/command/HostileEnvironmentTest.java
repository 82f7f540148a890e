package dev.durablerelease.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The spec's environment reaches the project's command only. The attack: {@code test.env: {LD_PRELOAD: ./evil.so}},
 * a real shared library the project ships, on a root worker with {@code --unsafe-no-sandbox}. Given to the runner
 * directly (past the spec's own check, which refuses LD_*), it must load into the command's shell, running as the
 * sandbox user, and into nothing that starts it.
 */
class HostileEnvironmentTest {
  /** Records every process it is loaded into, beside itself: its user ids and its name. */
  private static final String EVIL_SO = """
      #define _GNU_SOURCE
      #include <dlfcn.h>
      #include <fcntl.h>
      #include <libgen.h>
      #include <stdio.h>
      #include <unistd.h>

      __attribute__((constructor)) static void record(void) {
        char name[64] = "?", here[4096], log[4200];
        Dl_info self;
        int fd = open("/proc/self/comm", O_RDONLY);
        if (fd >= 0) {
          ssize_t n = read(fd, name, sizeof name - 1);
          name[n > 0 ? n - 1 : 0] = 0;
          close(fd);
        }
        if (!dladdr((void *) record, &self)) {
          return;
        }
        snprintf(here, sizeof here, "%s", self.dli_fname);
        snprintf(log, sizeof log, "%s/preloaded.log", dirname(here));
        FILE *out = fopen(log, "a");
        if (out) {
          fprintf(out, "uid=%d euid=%d %s\\n", getuid(), geteuid(), name);
          fclose(out);
        }
      }
      """;

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "sandboxed: {0}")
  @ValueSource(booleans = {false, true})
  void aPreloadedLibraryLoadsOnlyIntoTheCommandNeverIntoARootProcess(boolean sandboxed) throws Exception {
    CommandRunner runner = sandboxed ? CommandRunner.sandboxed() : CommandRunner.unsandboxed();
    runner.requireUsable();
    Limits limits = Limits.forTime(Duration.ofSeconds(30));
    try (RunFolder folder = runner.newRunFolder("hostile-env-test", limits)) {
      // the project's top folder, where the command (and, before, the tools starting it) started, holds the library
      Path top = Files.createDirectories(folder.work().resolve("src/evil-1.0"));
      Path source = Files.writeString(tmp.resolve("evil.c"), EVIL_SO);
      Process gcc = new ProcessBuilder("gcc", "-shared", "-fPIC", "-o", top.resolve("evil.so").toString(),
          source.toString()).inheritIO().start();
      assertThat(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0).as("gcc built evil.so").isTrue();
      Path records = Files.createFile(top.resolve("preloaded.log"));
      Files.setPosixFilePermissions(records, PosixFilePermissions.fromString("rw-rw-rw-"));
      // as the project would write it, relative, and absolute, which host-side tools would find wherever they start
      String preload = "./evil.so " + top.resolve("evil.so");

      Path log = folder.dir().resolve("command.log");
      CommandRunner.Result result = runner.run(new CommandRunner.Command("echo ran as $(id -u)", folder, top, top,
          Map.of("LD_PRELOAD", preload), limits, log), (e, t, b) -> { });

      assertThat(result.succeeded()).isTrue();
      String user = isRoot() ? Integer.toString(SandboxCommandLine.SANDBOX_USER) : currentUid();
      assertThat(Files.readString(log)).contains("ran as " + user);
      // the command's shell and the id it ran: the library works, and it was given to the project's processes only
      assertThat(Files.readAllLines(records)).containsExactly("uid=" + user + " euid=" + user + " sh",
          "uid=" + user + " euid=" + user + " id");
    }
  }

  private static boolean isRoot() throws Exception {
    return currentUid().equals("0");
  }

  private static String currentUid() throws Exception {
    return Files.getAttribute(Path.of("/proc/self"), "unix:uid").toString();
  }
}
