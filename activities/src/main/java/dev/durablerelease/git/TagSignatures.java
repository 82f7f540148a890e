package dev.durablerelease.git;

import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.policy.TagSignaturePolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.bcpg.sig.RevocationReason;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.GpgConfig;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.SignatureVerifier.SignatureVerification;
import org.eclipse.jgit.lib.SignatureVerifiers;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Checks that a release tag is annotated and signed by a key the operator's policy trusts (CPython's {@code verify-input}).
 *
 * <p>SSH signatures go through JGit's verifier ({@code org.eclipse.jgit.ssh.apache}) with the policy's allowed-signers
 * file. For OpenPGP, JGit's BouncyCastle verifier reads keys only from one GnuPG home per JVM ({@code jgit.gpg.home},
 * fixed when the class loads), so JGit splits the tag into payload and signature and BouncyCastle checks it against
 * the policy's keyring: each project uses its own keys.
 */
public final class TagSignatures {
  private static final BouncyCastleProvider BC = new BouncyCastleProvider();

  private TagSignatures() {}

  public static void verify(Repository repo, GitCache.ResolvedTag tag, TagSignaturePolicy spec) throws IOException {
    if (tag.tagObject() == null) {
      throw refused("tag " + tag.tag() + " is a lightweight tag; tagSignature.required needs an annotated tag signed by "
          + expected(spec) + ". Tag with git tag -s");
    }
    RevTag revTag;
    try (RevWalk walk = new RevWalk(repo)) {
      revTag = walk.parseTag(ObjectId.fromString(tag.tagObject()));
    }
    byte[] signature = revTag.getRawGpgSignature();
    if (signature == null) {
      throw refused("tag " + tag.tag() + " is not signed; it must be signed by " + expected(spec)
          + ". Re-tag with git tag -s");
    }
    GpgConfig.GpgFormat format = SignatureVerifiers.getFormat(signature);
    if (format == GpgConfig.GpgFormat.SSH) {
      verifySsh(repo, tag, revTag, spec);
    } else if (format == GpgConfig.GpgFormat.OPENPGP) {
      byte[] raw = revTag.getRawBuffer();
      verifyOpenPgp(tag, Arrays.copyOf(raw, raw.length - signature.length), signature, spec);
    } else {
      throw refused("tag " + tag.tag() + " has a " + format + " signature; only OpenPGP and SSH signatures are checked."
          + " It must be signed by " + expected(spec));
    }
  }

  private static void verifySsh(Repository repo, GitCache.ResolvedTag tag, RevTag revTag, TagSignaturePolicy spec)
      throws IOException {
    if (spec.allowedSigners() == null) {
      throw refused("tag " + tag.tag() + " is signed with an SSH key but tagSignature has no allowedSigners; it must"
          + " be signed by " + expected(spec));
    }
    Config config = new Config();
    config.setString("gpg", "ssh", "allowedSignersFile", readable(spec.allowedSigners(), "allowedSigners").toString());
    SignatureVerification result = SignatureVerifiers.verify(repo, new GpgConfig(config), revTag);
    if (result == null || !result.verified()) {
      String why = result == null ? "no SSH signature verifier is available" : result.message();
      throw refused("tag " + tag.tag() + " has an SSH signature that does not verify (" + why + "); it must be signed"
          + " by " + expected(spec));
    }
  }

  private static void verifyOpenPgp(GitCache.ResolvedTag tag, byte[] payload, byte[] armored, TagSignaturePolicy spec)
      throws IOException {
    if (spec.gpgKeyring() == null) {
      throw refused("tag " + tag.tag() + " is signed with an OpenPGP key but tagSignature has no gpgKeyring; it must be"
          + " signed by " + expected(spec));
    }
    try {
      PGPSignature signature = parseSignature(armored);
      PGPPublicKeyRingCollection keys = keyring(spec.gpgKeyring());
      byte[] fingerprint = issuerFingerprint(signature);
      // newer signatures may name their key by fingerprint only (key id 0)
      PGPPublicKey key = signature.getKeyID() != 0 ? keys.getPublicKey(signature.getKeyID())
          : fingerprint != null ? keys.getPublicKey(fingerprint) : null;
      String signer = fingerprint != null ? hex(fingerprint)
          : String.format(Locale.ROOT, "%016X", signature.getKeyID());
      if (key == null) {
        throw refused("tag " + tag.tag() + " is signed by OpenPGP key " + signer + ", which is not in "
            + spec.gpgKeyring() + "; it must be signed by " + expected(spec));
      }
      PGPPublicKeyRing ring = keys.getPublicKeyRing(key.getKeyID());
      String unusable = unusable(new OpenPGPCertificate(ring), key, new Date());
      if (unusable != null) {
        throw refused("tag " + tag.tag() + " is signed by OpenPGP key " + describe(ring, key) + ", which " + unusable
            + "; it must be signed by " + expected(spec) + " that is valid now and may sign");
      }
      signature.init(new JcaPGPContentVerifierBuilderProvider().setProvider(BC), key);
      signature.update(payload);
      if (!signature.verify()) {
        throw refused("tag " + tag.tag() + " has a bad OpenPGP signature (key " + signer + "): the tag was changed"
            + " after signing or the signature is forged; it must be signed by " + expected(spec));
      }
    } catch (PGPException e) {
      throw refused("tag " + tag.tag() + " has an OpenPGP signature that cannot be checked (" + e.getMessage()
          + "); it must be signed by " + expected(spec));
    }
  }

  /**
   * Why a key of the keyring may not sign a release tag now, or null: revoked (the key or its primary key), expired,
   * or without the signing flag. BouncyCastle's certificate view checks the self-signatures these facts come from.
   */
  private static String unusable(OpenPGPCertificate certificate, PGPPublicKey key, Date now) {
    OpenPGPCertificate.OpenPGPComponentKey signing = certificate.getKey(key.getKeyIdentifier());
    for (OpenPGPCertificate.OpenPGPComponentKey component : List.of(certificate.getPrimaryKey(), signing)) {
      OpenPGPCertificate.OpenPGPComponentSignature revocation = component.getRevocation(now);
      if (revocation != null) {
        return (component.isPrimaryKey() ? "is revoked" : "is a revoked subkey") + " (since "
            + day(revocation.getCreationTime()) + reason(revocation.getSignature()) + ")";
      }
    }
    for (OpenPGPCertificate.OpenPGPComponentKey component : List.of(certificate.getPrimaryKey(), signing)) {
      Date expiry = component.getKeyExpirationDateAt(now);
      if (expiry != null && !expiry.after(now)) {
        return "expired on " + day(expiry);
      }
    }
    if (!signing.isSigningKey(now)) {
      KeyFlags flags = signing.getKeyFlags(now);
      return "may not sign (key flags: " + (flags == null ? "none" : flagNames(flags.getFlags())) + ")";
    }
    return null;
  }

  private static String reason(PGPSignature revocation) {
    RevocationReason reason = revocation.getHashedSubPackets() == null ? null
        : revocation.getHashedSubPackets().getRevocationReason();
    return reason == null || reason.getRevocationDescription().isBlank() ? ""
        : ": " + reason.getRevocationDescription();
  }

  private static String flagNames(int flags) {
    List<String> names = new ArrayList<>();
    String[] known = {"certify", "sign", "encrypt communications", "encrypt storage", "split", "authenticate"};
    int[] bits = {KeyFlags.CERTIFY_OTHER, KeyFlags.SIGN_DATA, KeyFlags.ENCRYPT_COMMS, KeyFlags.ENCRYPT_STORAGE,
        KeyFlags.SPLIT, KeyFlags.AUTHENTICATION};
    for (int i = 0; i < bits.length; i++) {
      if ((flags & bits[i]) != 0) {
        names.add(known[i]);
      }
    }
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** {@code FINGERPRINT (user id)}, or {@code FINGERPRINT (subkey of PRIMARY user id)}, for messages. */
  private static String describe(PGPPublicKeyRing ring, PGPPublicKey key) {
    PGPPublicKey primary = ring.getPublicKey();
    Iterator<String> ids = primary.getUserIDs();
    String owner = ids.hasNext() ? ids.next() : "no user id";
    return hex(key.getFingerprint()) + (key.isMasterKey() ? " (" + owner + ")"
        : " (subkey of " + hex(primary.getFingerprint()) + " " + owner + ")");
  }

  private static String day(Date date) {
    return DateTimeFormatter.ISO_LOCAL_DATE.format(date.toInstant().atZone(ZoneOffset.UTC));
  }

  private static PGPSignature parseSignature(byte[] armored) throws IOException, PGPException {
    try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(armored))) {
      Object object = new JcaPGPObjectFactory(in).nextObject();
      if (object instanceof PGPSignatureList list && !list.isEmpty()) {
        return list.get(0);
      }
      throw new PGPException("no signature packet");
    }
  }

  private static PGPPublicKeyRingCollection keyring(String file) throws IOException, PGPException {
    try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(readable(file, "gpgKeyring")))) {
      return new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
    }
  }

  private static byte[] issuerFingerprint(PGPSignature signature) {
    if (signature.getHashedSubPackets() != null
        && signature.getHashedSubPackets().getSubpacket(SignatureSubpacketTags.ISSUER_FINGERPRINT)
            instanceof IssuerFingerprint fingerprint) {
      return fingerprint.getFingerprint();
    }
    return null;
  }

  /** What the policy trusts, for error messages: key fingerprints with their user ids, and SSH principals. */
  static String expected(TagSignaturePolicy spec) {
    List<String> trusted = new ArrayList<>();
    if (spec.gpgKeyring() != null) {
      trusted.add("a key of " + spec.gpgKeyring() + describeKeys(spec.gpgKeyring()));
    }
    if (spec.allowedSigners() != null) {
      trusted.add("a signer of " + spec.allowedSigners() + describeSigners(spec.allowedSigners()));
    }
    return String.join(" or ", trusted);
  }

  private static String describeKeys(String file) {
    try {
      List<String> keys = new ArrayList<>();
      for (Iterator<PGPPublicKeyRing> it = keyring(file).getKeyRings(); it.hasNext(); ) {
        PGPPublicKey master = it.next().getPublicKey();
        Iterator<String> ids = master.getUserIDs();
        keys.add(hex(master.getFingerprint()) + (ids.hasNext() ? " " + ids.next() : ""));
      }
      return " (" + String.join(", ", keys) + ")";
    } catch (IOException | PGPException | StageFailure e) {
      return " (unreadable: " + e.getMessage() + ")";
    }
  }

  private static String describeSigners(String file) {
    try {
      String principals = Files.readAllLines(readable(file, "allowedSigners")).stream()
          .map(String::trim)
          .filter(l -> !l.isEmpty() && !l.startsWith("#"))
          .map(l -> l.split("\\s+")[0])
          .collect(Collectors.joining(", "));
      return " (" + principals + ")";
    } catch (IOException | StageFailure e) {
      return " (unreadable: " + e.getMessage() + ")";
    }
  }

  private static Path readable(String file, String field) {
    Path path = Path.of(file);
    if (!Files.isReadable(path)) {
      throw refused("tagSignature." + field + " " + file + " cannot be read on this worker; install it there or fix"
          + " the path");
    }
    return path;
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().withUpperCase().formatHex(bytes);
  }

  private static StageFailure refused(String message) {
    return new StageFailure(Failures.TAG_SIGNATURE_INVALID, message);
  }
}
