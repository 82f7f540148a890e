package dev.durablerelease.publish;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.store.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * An {@code sftp://user@host:port/path/} target, over Apache MINA SSHD's client: key or password authentication, the
 * host key checked by {@link HostKeyCheck}, staged files renamed into place.
 */
final class SftpTarget implements PublishTarget {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String url;
  private final String base;
  private final SshClient client;
  private final SftpClient sftp;

  private SftpTarget(String url, String base, SshClient client, SftpClient sftp) {
    this.url = url;
    this.base = base;
    this.client = client;
    this.sftp = sftp;
  }

  /** Connects and logs in; refused credentials and host keys are non-retryable failures that say which. */
  static SftpTarget connect(TargetPolicy target, Map<String, String> env) throws IOException {
    URI uri = URI.create(target.url());
    int port = uri.getPort() < 0 ? 22 : uri.getPort();
    String user = uri.getUserInfo();
    HostKeyCheck hostKeys = new HostKeyCheck(target.url(), uri.getHost(), port, target.hostKey(),
        target.knownHosts() == null ? null : Path.of(target.knownHosts()));
    SshClient client = SshClient.setUpDefaultClient();
    // only what the policy says: no ~/.ssh/config rewriting the host, no ~/.ssh/id_* keys of the worker's user
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
    client.setServerKeyVerifier(hostKeys);
    client.start();
    try {
      ClientSession session = client.connect(user, uri.getHost(), port).verify(TIMEOUT).getSession();
      if (target.key() != null) {
        for (KeyPair key : loadKeys(session, target.key())) {
          session.addPublicKeyIdentity(key);
        }
      }
      if (target.password() != null) {
        session.addPasswordIdentity(References.resolve(target.password(), "password", env));
      }
      try {
        session.auth().verify(TIMEOUT);
      } catch (SshException e) {
        if (hostKeys.refusal() != null) {
          throw new StageFailure(Failures.TARGET_REFUSED, hostKeys.refusal());
        }
        if (String.valueOf(e.getMessage()).contains("No more authentication methods available")) {
          throw new StageFailure(Failures.TARGET_REFUSED, target.url() + ": the server refused to log in " + user
              + " with " + (target.key() != null ? "the key " + target.key() : "the password " + target.password())
              + "; check the credentials and the server's authorized_keys for " + user);
        }
        throw e;
      }
      SftpClient sftp = SftpClientFactory.instance().createSftpClient(session);
      String path = uri.getPath().endsWith("/") ? uri.getPath() : uri.getPath() + "/";
      return new SftpTarget(target.url(), path, client, sftp);
    } catch (IOException | RuntimeException e) {
      client.stop();
      throw e;
    }
  }

  private static Iterable<KeyPair> loadKeys(ClientSession session, String reference) throws IOException {
    Path file = References.file(reference, "key");
    try (InputStream in = Files.newInputStream(file)) {
      Iterable<KeyPair> keys = SecurityUtils.loadKeyPairIdentities(session,
          NamedResource.ofName(file.toString()), in, null);
      if (keys == null || !keys.iterator().hasNext()) {
        throw new StageFailure(Failures.TARGET_REFUSED, "key " + reference + " holds no private key");
      }
      return keys;
    } catch (GeneralSecurityException e) {
      throw new StageFailure(Failures.TARGET_REFUSED, "key " + reference + " cannot be read as a private key ("
          + e.getMessage() + "); give an unencrypted OpenSSH or PEM private key");
    }
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public long size(String path) throws IOException {
    try {
      return sftp.stat(base + path).getSize();
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return -1;
      }
      throw e;
    }
  }

  @Override
  public Optional<String> sha256(String path) throws IOException {
    if (size(path) < 0) {
      return Optional.empty();
    }
    try (InputStream in = sftp.read(base + path)) {
      return Optional.of(Digests.sha256Hex(in));
    }
  }

  @Override
  public InputStream read(String path) throws IOException {
    return sftp.read(base + path);
  }

  @Override
  public void write(String path, long size, String sha256, Content content) throws IOException {
    String full = base + path;
    makeFolders(full.substring(0, full.lastIndexOf('/')));
    try (InputStream in = content.open();
        OutputStream out = sftp.write(full, SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
            SftpClient.OpenMode.Truncate)) {
      in.transferTo(out);
    }
  }

  /** SFTP's rename (without the overwrite flag) fails when the new name exists: OpenSSH links, MINA checks. */
  @Override
  public void move(String from, String to) throws IOException {
    try {
      sftp.rename(base + from, base + to);
    } catch (SftpException e) {
      if (size(to) >= 0) {
        throw new FileAlreadyExistsException(url + to, null, "a file appeared there after the check; the server"
            + " refused to replace it (" + e.getMessage() + ")");
      }
      throw e;
    }
  }

  @Override
  public void delete(String path) throws IOException {
    try {
      sftp.remove(base + path);
    } catch (SftpException e) {
      if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
        throw e;
      }
    }
  }

  @Override
  public void deleteFolder(String path) throws IOException {
    String folder = path.replaceAll("/+$", "");
    if (size(folder) < 0) {
      return;
    }
    for (SftpClient.DirEntry entry : sftp.readDir(base + folder)) {
      String child = folder + "/" + entry.getFilename();
      if (entry.getFilename().equals(".") || entry.getFilename().equals("..")) {
        continue;
      }
      if (entry.getAttributes().isDirectory()) {
        deleteFolder(child);
      } else {
        sftp.remove(base + child);
      }
    }
    sftp.rmdir(base + folder);
  }

  private void makeFolders(String folder) throws IOException {
    StringBuilder path = new StringBuilder();
    for (String part : folder.split("/")) {
      if (part.isEmpty()) {
        continue;
      }
      path.append('/').append(part);
      try {
        sftp.stat(path.toString());
      } catch (SftpException e) {
        if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
          throw e;
        }
        sftp.mkdir(path.toString());
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      sftp.close();
    } finally {
      client.stop();
    }
  }
}
