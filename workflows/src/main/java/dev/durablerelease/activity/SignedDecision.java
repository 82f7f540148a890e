package dev.durablerelease.activity;

/**
 * An approval (or another decision the policy wants signed, such as a skip), as verified on the sign worker: anyone
 * can check it later with {@code ssh-keygen -Y verify -n NAMESPACE -I APPROVER -f allowed_signers -s SIG}, the
 * statement on standard input.
 *
 * @param approver the approver's name in the operator's policy
 * @param publicKey the approver's SSH public key line, from the policy
 * @param fingerprint its SHA-256 fingerprint, as ssh-keygen prints it
 * @param namespace the SSHSIG namespace the statement was signed in ({@link #NAMESPACE})
 * @param statement the exact text that was signed
 * @param signature the armored SSH signature ({@code -----BEGIN SSH SIGNATURE-----})
 */
public record SignedDecision(String approver, String publicKey, String fingerprint, String namespace,
    String statement, String signature) {

  /** Our own namespace, so that no signature made for git or anything else can be passed off as an approval. */
  public static final String NAMESPACE = "durable-release-decision@durablerelease.dev";
}
