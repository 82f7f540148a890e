package dev.durablerelease.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 and SHA-1 helpers. */
public final class Digests {
  private Digests() {}

  public static MessageDigest sha256() {
    return digest("SHA-256");
  }

  public static MessageDigest sha1() {
    return digest("SHA-1");
  }

  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  public static String sha256Hex(byte[] content) {
    return hex(sha256().digest(content));
  }

  public static String sha256Hex(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return sha256Hex(in);
    }
  }

  /** The SHA-256 of everything left in the stream (which the caller closes). */
  public static String sha256Hex(InputStream in) throws IOException {
    MessageDigest md = sha256();
    byte[] buffer = new byte[1 << 16];
    for (int n; (n = in.read(buffer)) > 0; ) {
      md.update(buffer, 0, n);
    }
    return hex(md.digest());
  }

  private static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by the Java platform", e);
    }
  }
}
