package dev.durablerelease.command;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The command line that starts a project command: {@code setpriv} (to the sandbox user, when the worker is root) →
 * {@code bwrap} (sandboxed) or {@code unshare --user} (unsandboxed, to give the process limit a namespace of its own)
 * → {@code prlimit} → {@code env -i} → {@code sh -c COMMAND}, each exec'ing the next. The host-side tools start with
 * only a PATH; {@code env -i}, the last of them, gives the spec's environment to the command's shell alone, so no
 * loader or shell variable of the spec reaches a process that the project does not control.
 */
final class SandboxCommandLine {
  /** nobody owns nothing on the host: a command running as nobody reads only what everyone may read. */
  static final int SANDBOX_USER = 65534;
  /** The sandbox tools are looked up here, never in the worker's own PATH. */
  static final String HOST_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
  /** The command's PATH. */
  private static final String PATH = "/usr/local/bin:/usr/bin:/bin";
  /** Where a sandboxed command sees its work folder. */
  private static final String SANDBOX_WORK = "/build";

  private final boolean sandboxed;
  private final String bwrap;
  private final boolean root;

  SandboxCommandLine(boolean sandboxed, String bwrap, boolean root) {
    this.sandboxed = sandboxed;
    this.bwrap = bwrap;
    this.root = root;
  }

  /**
   * The argv of a command, after the control groups' joining shell if any.
   *
   * @param processesByControlGroup whether a pids control group caps the command's processes; else an rlimit does,
   *     set inside a user namespace of the command's own, where it counts only the command's processes (since Linux
   *     5.14 a process count belongs to a user in a user namespace, not to the user across the host)
   */
  List<String> argv(CommandRunner.Command command, boolean processesByControlGroup) {
    Limits limits = command.limits();
    List<String> argv = new ArrayList<>();
    if (root) {
      argv.addAll(List.of("setpriv", "--reuid=" + SANDBOX_USER, "--regid=" + SANDBOX_USER, "--clear-groups",
          "--inh-caps=-all"));
    }
    if (sandboxed) {
      argv.addAll(List.of(bwrap,
          "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib",
          "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/sbin", "/sbin", "--ro-bind", "/etc", "/etc",
          "--proc", "/proc", "--dev", "/dev",
          // /dev would otherwise hold a writable shm folder on a tmpfs of half the host's memory
          "--size", Long.toString(limits.tmpBytes()), "--tmpfs", "/dev/shm",
          "--size", Long.toString(limits.tmpBytes()), "--tmpfs", "/tmp",
          "--bind", command.folder().work().toString(), SANDBOX_WORK,
          "--chdir", inSandbox(command, command.startDir()),
          // keep bwrap's own PID 1: it reaps orphans, and its death takes the whole namespace down
          "--unshare-all", "--hostname", "sandbox", "--die-with-parent", "--new-session",
          "--clearenv", "--setenv", "PATH", HOST_PATH, "--"));
    } else if (!processesByControlGroup) {
      argv.addAll(List.of("unshare", "--user", "--map-current-user", "--"));
    }
    // CPU: SIGXCPU at the soft limit names the cause; the hard limit a little later kills a process that ignores it
    long cpu = Math.max(1, limits.cpu().toSeconds());
    argv.addAll(List.of("prlimit", "--cpu=" + cpu + ":" + (cpu + 5), "--fsize=" + limits.fileBytes(),
        "--as=" + limits.memoryBytes()));
    if (!processesByControlGroup) {
      argv.add("--nproc=" + limits.processes());
    }
    argv.addAll(List.of("--", "env", "-i"));
    if (!sandboxed) {
      argv.add("--chdir=" + command.startDir()); // bwrap's --chdir does it sandboxed; the tools before start in /
    }
    argv.add("--");
    String home = sandboxed ? inSandbox(command, command.home()) : command.home().toString();
    commandEnv(command.env(), home).forEach((name, value) -> argv.add(name + "=" + value));
    argv.addAll(List.of("sh", "-c", command.command()));
    return argv;
  }

  /** The command's whole environment: the spec's variables, then PATH, HOME and LANG. */
  private static Map<String, String> commandEnv(Map<String, String> env, String home) {
    Map<String, String> all = new TreeMap<>(env);
    all.put("PATH", PATH);
    all.put("HOME", home);
    all.put("LANG", "C.UTF-8");
    return all;
  }

  private static String inSandbox(CommandRunner.Command command, Path path) {
    Path relative = command.folder().work().relativize(path);
    return relative.toString().isEmpty() ? SANDBOX_WORK : SANDBOX_WORK + "/" + relative;
  }
}
