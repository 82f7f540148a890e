package dev.durablerelease.testing;

import dev.durablerelease.activity.SignedDecision;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Operators with real SSH keys made by ssh-keygen, who sign decision statements as {@code release approve} does. */
public final class Approvers {
  private Approvers() {}

  /**
   * @param name the approver's name in a policy
   * @param key the private key file
   * @param publicKey the public key line, as a policy's {@code approvers:} lists it
   */
  public record Approver(String name, Path key, String publicKey) {
    /** The armored SSH signature over the statement, in durable-release's namespace. */
    public String sign(String statement) {
      return signIn(SignedDecision.NAMESPACE, statement);
    }

    /** A signature over the statement in another namespace (e.g. git's): what a forger might replay. */
    public String signIn(String namespace, String statement) {
      try {
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-Y", "sign", "-n", namespace, "-f", key.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var in = p.getOutputStream()) {
          in.write(statement.getBytes(StandardCharsets.UTF_8));
        }
        String signature = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          throw new IllegalStateException("ssh-keygen -Y sign failed for " + name);
        }
        return signature;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** A fresh ed25519 key pair for the approver, in {@code dir}. */
  public static Approver create(Path dir, String name) {
    try {
      Path folder = Files.createDirectories(dir);
      Path key = folder.resolve(name + "_ed25519");
      Tools.run(folder, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name + "@example.org", "-f",
          key.toString());
      return new Approver(name, key, Files.readString(Path.of(key + ".pub")).strip());
    } catch (Exception e) {
      throw new IllegalStateException("cannot make an SSH key for " + name, e);
    }
  }
}
