package dev.durablerelease.sign;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.SignedDecision;
import dev.durablerelease.activity.StageFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.util.FileUtils;

/**
 * Operators' signatures over decision statements, in the SSHSIG format of {@code ssh-keygen -Y sign}, checked with
 * OpenSSH's own {@code ssh-keygen -Y} against an allowed-signers file made from the operator's policy, so what this
 * accepts is exactly what anyone's {@code ssh-keygen -Y verify} accepts later.
 */
public final class DecisionSignatures {
  /** Signatures of any key type OpenSSH knows are a few KiB at most. */
  private static final int MAX_SIGNATURE_CHARS = 16 * 1024;
  private static final Pattern ARMOR =
      Pattern.compile("-----BEGIN SSH SIGNATURE-----\\n[A-Za-z0-9+/=\\n]+-----END SSH SIGNATURE-----\\n?");
  private static final Pattern FINGERPRINT = Pattern.compile("key (SHA256:[A-Za-z0-9+/=]+)");

  private DecisionSignatures() {}

  /**
   * Verifies a signature over the statement in our namespace, made by one of the approvers' keys, and returns who
   * signed it; refuses ({@link Failures#APPROVAL_REFUSED}) a damaged signature, one over other text, or a key that is
   * none of theirs.
   *
   * @param approvers the public key line of each approver who may sign, by name
   * @param scratch a folder of this worker's own for the files ssh-keygen reads
   */
  public static SignedDecision verify(Map<String, String> approvers, String statement, String signature, Path scratch)
      throws IOException {
    String armored = signature.strip().replace("\r\n", "\n") + "\n";
    if (armored.length() > MAX_SIGNATURE_CHARS || !ARMOR.matcher(armored).matches()) {
      throw refused("the signature is not an SSH signature (-----BEGIN SSH SIGNATURE-----, as ssh-keygen -Y sign"
          + " writes it)");
    }
    Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "decision-");
    try {
      Path sig = Files.writeString(dir.resolve("statement.sig"), armored);
      Path allowed = Files.writeString(dir.resolve("allowed_signers"), allowedSigners(approvers));
      Result anyKey = sshKeygen(statement, "-Y", "check-novalidate", "-n", SignedDecision.NAMESPACE, "-s",
          sig.toString());
      if (anyKey.exit() != 0) {
        throw refused("the signature does not verify over this release's statement in the namespace "
            + SignedDecision.NAMESPACE + ": it was made for another release, version or run, or for something else;"
            + " sign the statement that `release status` prints now (release approve does)");
      }
      String fingerprint = fingerprint(anyKey.output());
      Result principals = sshKeygen("", "-Y", "find-principals", "-s", sig.toString(), "-f", allowed.toString());
      String approver = principals.exit() == 0 ? principals.output().lines().findFirst().orElse("").strip() : "";
      if (approver.isEmpty() || !approvers.containsKey(approver)) {
        throw refused("the signature was made with key " + fingerprint + ", which is not the key of an approver the"
            + " operator's policy allows for this release (" + String.join(", ", approvers.keySet()) + ")");
      }
      Result verified = sshKeygen(statement, "-Y", "verify", "-f", allowed.toString(), "-I", approver, "-n",
          SignedDecision.NAMESPACE, "-s", sig.toString());
      if (verified.exit() != 0) {
        throw refused("the signature of " + approver + " does not verify: " + verified.output().strip());
      }
      return new SignedDecision(approver, approvers.get(approver), fingerprint, SignedDecision.NAMESPACE, statement,
          armored);
    } finally {
      FileUtils.delete(dir.toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
    }
  }

  /** The allowed-signers lines of these approvers, restricted to our namespace. */
  public static String allowedSigners(Map<String, String> approvers) {
    StringBuilder lines = new StringBuilder();
    approvers.forEach((name, key) -> lines.append(name).append(" namespaces=\"").append(SignedDecision.NAMESPACE)
        .append("\" ").append(key).append('\n'));
    return lines.toString();
  }

  private static String fingerprint(String output) {
    Matcher m = FINGERPRINT.matcher(output);
    return m.find() ? m.group(1) : "(unknown)";
  }

  private record Result(int exit, String output) {}

  private static Result sshKeygen(String stdin, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("ssh-keygen");
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IOException("sign workers check approvals with OpenSSH's ssh-keygen, which cannot be run here ("
          + e.getMessage() + "); install openssh-client on this worker", e);
    }
    try (var in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("ssh-keygen did not finish in 30 s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while ssh-keygen checked a signature", e);
    }
    return new Result(process.exitValue(), output);
  }

  private static StageFailure refused(String message) {
    return new StageFailure(Failures.APPROVAL_REFUSED, message);
  }
}
