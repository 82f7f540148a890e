package dev.durablerelease.cli;

import dev.durablerelease.activity.SignedDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signs a release's decision statement with the operator's SSH key, by OpenSSH's own {@code ssh-keygen -Y sign}: a
 * private key file, or a public key file whose private half ssh-agent holds.
 */
final class DecisionSigner {
  private DecisionSigner() {}

  /** The armored SSH signature over the statement, in durable-release's namespace. */
  static String sign(Path key, String statement) throws IOException, InterruptedException {
    if (!Files.isReadable(key)) {
      throw new UserError("the key " + key + " cannot be read; give your SSH private key, or its .pub file when"
          + " ssh-agent holds the key");
    }
    Process process;
    try {
      process = new ProcessBuilder(List.of("ssh-keygen", "-Y", "sign", "-n", SignedDecision.NAMESPACE, "-f",
          key.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    } catch (IOException e) {
      throw new UserError("signing needs OpenSSH's ssh-keygen, which cannot be run here (" + e.getMessage()
          + "); install openssh-client");
    }
    try (var in = process.getOutputStream()) {
      in.write(statement.getBytes(StandardCharsets.UTF_8));
    }
    String signature = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new UserError("ssh-keygen could not sign with " + key + " (see its message above); check the key and its"
          + " passphrase, or that ssh-agent holds it when you gave the .pub file");
    }
    return signature;
  }
}
