package dev.durablerelease.publish;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.digest.BuiltinDigests;

/**
 * Accepts an SFTP server only when its host key is the pinned fingerprint, or one a known_hosts file lists for that
 * host and port; never an unknown key, nor one a {@code @revoked} line lists (wherever that line stands). Host
 * certificates are not accepted: a {@code @cert-authority} line is refused with a message saying so, and its key is
 * never taken for a host key. Remembers why it refused, so the failure can say so.
 */
final class HostKeyCheck implements ServerKeyVerifier {
  private static final String REVOKED = "revoked";
  private static final String CERT_AUTHORITY = "cert-authority";

  private final String target;
  private final String host;
  private final int port;
  private final String pinned;
  private final Path knownHosts;
  private volatile String refusal;

  /** @param pinned a {@code SHA256:} fingerprint, or null to use {@code knownHosts} */
  HostKeyCheck(String target, String host, int port, String pinned, Path knownHosts) {
    this.target = target;
    this.host = host;
    this.port = port;
    this.pinned = pinned;
    this.knownHosts = knownHosts;
  }

  @Override
  public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
    try {
      refusal = problem(session, serverKey);
    } catch (Exception e) {
      refusal = target + ": cannot read known_hosts " + knownHosts + ": " + e.getMessage();
    }
    return refusal == null;
  }

  private static PublicKey key(ClientSession session, KnownHostEntry entry) throws Exception {
    return entry.getKeyEntry().resolvePublicKey(session, Map.of(), PublicKeyEntryResolver.IGNORING);
  }

  /** Why the server's key was refused, or null. */
  String refusal() {
    return refusal;
  }

  private String problem(ClientSession session, PublicKey serverKey) throws Exception {
    String presented = KeyUtils.getFingerPrint(BuiltinDigests.sha256, serverKey);
    String server = port == 22 ? host : "[" + host + "]:" + port;
    if (pinned != null) {
      return presented.equals(pinned) ? null : target + ": host key mismatch: " + server + " presented " + presented
          + " but the operator's policy pins hostKey " + pinned + "; if the server's key was changed on purpose, update hostKey,"
          + " otherwise someone may be intercepting the connection";
    }
    List<KnownHostEntry> lines = new ArrayList<>();
    for (KnownHostEntry entry : KnownHostEntry.readKnownHostEntries(knownHosts)) {
      if (entry.getKeyEntry() == null) {
        continue;
      }
      // a revoked key is never accepted, whatever host its line names and wherever the line stands
      if (REVOKED.equals(entry.getMarker()) && KeyUtils.compareKeys(key(session, entry), serverKey)) {
        return target + ": host key " + presented + " of " + server + " is marked @revoked in " + knownHosts
            + "; the server must get a new host key, listed in known_hosts";
      }
      if (entry.isHostMatch(host, port)) {
        lines.add(entry);
      }
    }
    List<String> listed = new ArrayList<>();
    boolean certificateAuthority = false;
    for (KnownHostEntry entry : lines) {
      if (entry.getMarker() == null) {
        PublicKey expected = key(session, entry);
        if (expected == null) {
          continue;
        }
        if (KeyUtils.compareKeys(expected, serverKey)) {
          return null;
        }
        listed.add(KeyUtils.getFingerPrint(BuiltinDigests.sha256, expected));
      } else if (CERT_AUTHORITY.equals(entry.getMarker())) {
        certificateAuthority = true;
      }
    }
    if (listed.isEmpty() && certificateAuthority) {
      // a CA's key vouches for host certificates only; it is never a host key itself
      return target + ": " + knownHosts + " names a @cert-authority for " + server + ", but host certificates are not"
          + " accepted here (the server presented the key " + presented + "); list the host's own key in known_hosts"
          + " (ssh-keyscan -p " + port + " " + host + ") or pin it with hostKey: " + presented;
    }
    if (listed.isEmpty()) {
      return target + ": unknown host key: " + server + " presented " + presented + ", which " + knownHosts
          + " does not list; check the fingerprint with the server's administrator, then add the key"
          + " (ssh-keyscan -p " + port + " " + host + " >> " + knownHosts + ") or pin it with hostKey: " + presented;
    }
    return target + ": host key mismatch: " + server + " presented " + presented + " but " + knownHosts + " lists "
        + String.join(", ", listed) + " for it; if the server's key was changed on purpose, update known_hosts,"
        + " otherwise someone may be intercepting the connection";
  }
}
