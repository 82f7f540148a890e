package dev.durablerelease.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * A real SFTP server (Apache MINA SSHD) on loopback, serving a test's folder as its file system root: user
 * {@link #USER} logs in with the key {@link #writeClientKey} writes (or {@link #PASSWORD}), and the server's host key is
 * fixed for its life.
 */
public final class SftpServer implements AutoCloseable {
  public static final String USER = "release";
  public static final String PASSWORD = "sftp-password-for-tests";

  private final SshServer server;
  private final Path root;
  private final KeyPair hostKey;
  private final KeyPair clientKey;

  private SftpServer(SshServer server, Path root, KeyPair hostKey, KeyPair clientKey) {
    this.server = server;
    this.root = root;
    this.hostKey = hostKey;
    this.clientKey = clientKey;
  }

  public static SftpServer start(Path root) throws IOException, GeneralSecurityException {
    Files.createDirectories(root);
    KeyPair hostKey = newKey();
    KeyPair clientKey = newKey();
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    server.setPublickeyAuthenticator((user, key, session) -> USER.equals(user)
        && KeyUtils.compareKeys(key, clientKey.getPublic()));
    server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
    server.setKeyboardInteractiveAuthenticator(null);
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    server.setFileSystemFactory(new VirtualFileSystemFactory(root));
    server.start();
    return new SftpServer(server, root, hostKey, clientKey);
  }

  /** A fresh EC P-256 key pair (no extra provider needed). */
  public static KeyPair newKey() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(256);
    return generator.generateKeyPair();
  }

  public int port() {
    return server.getPort();
  }

  /** The folder the server shows as {@code /}. */
  public Path root() {
    return root;
  }

  /** The host key's fingerprint as ssh-keygen -lf prints it. */
  public String hostKeyFingerprint() {
    return KeyUtils.getFingerPrint(BuiltinDigests.sha256, hostKey.getPublic());
  }

  /** Writes a known_hosts file listing this server's host key for 127.0.0.1 at {@code port}. */
  public Path writeKnownHosts(Path file, int port) throws IOException {
    Files.writeString(file, "[127.0.0.1]:" + port + " " + PublicKeyEntry.toString(hostKey.getPublic()) + "\n",
        StandardCharsets.US_ASCII);
    return file;
  }

  /** Writes the private key the server accepts for {@link #USER}, in OpenSSH format. */
  public Path writeClientKey(Path file) throws IOException, GeneralSecurityException {
    return writeKey(clientKey, file);
  }

  /** Writes a private key in OpenSSH format. */
  public static Path writeKey(KeyPair key, Path file) throws IOException, GeneralSecurityException {
    try (OutputStream out = Files.newOutputStream(file)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "test", null, out);
    }
    return file;
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
