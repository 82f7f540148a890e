package dev.durablerelease.spec;

/**
 * How the tag's signature is checked at checkout (CPython's {@code verify-input}). Paths are on the source worker;
 * they name public keys only.
 *
 * @param required when true (the default once the block is given) the tag must be annotated and signed by a key of
 *     {@code gpgKeyring} or a signer of {@code allowedSigners}
 * @param gpgKeyring OpenPGP public keys ({@code gpg --export [--armor] KEY > file}), for GPG-signed tags
 * @param allowedSigners an SSH allowed-signers file ({@code git config gpg.ssh.allowedSignersFile}), for SSH-signed tags
 */
public record TagSignatureSpec(Boolean required, String gpgKeyring, String allowedSigners) {
  public boolean enforced() {
    return required == null || required;
  }
}
