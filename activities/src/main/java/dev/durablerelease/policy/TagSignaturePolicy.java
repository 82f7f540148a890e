package dev.durablerelease.policy;

/**
 * How a project's tags are checked at checkout (CPython's {@code verify-input}); read on the source worker. Paths
 * name public keys only.
 *
 * @param required when true (the default once the block is given) the tag must be annotated and signed by a key of
 *     {@code gpgKeyring} or a signer of {@code allowedSigners}
 * @param gpgKeyring OpenPGP public keys ({@code gpg --export [--armor] KEY > file}), for GPG-signed tags
 * @param allowedSigners an SSH allowed-signers file ({@code git config gpg.ssh.allowedSignersFile}), for SSH-signed tags
 */
public record TagSignaturePolicy(Boolean required, String gpgKeyring, String allowedSigners) {
  public boolean enforced() {
    return required == null || required;
  }
}
