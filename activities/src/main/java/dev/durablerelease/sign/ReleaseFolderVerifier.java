package dev.durablerelease.sign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.manifest.ManifestWriter;
import dev.durablerelease.provenance.ProvenanceWriter;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.durablerelease.store.Digests;
import dev.sigstore.KeylessVerificationException;
import dev.sigstore.bundle.Bundle;
import dev.sigstore.bundle.BundleParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks a published release folder: every file against its {@code .sigstore} bundle (trusted root + identity
 * policy), and the provenance's subjects against the files beside it.
 */
public final class ReleaseFolderVerifier {
  /** Files that are not release artifacts and carry no bundle of their own. */
  private static final Set<String> INDEX_FILES = Set.of(ManifestWriter.RELEASE_JSON, ManifestWriter.SHA256SUMS,
      DevSigstore.TRUSTED_ROOT_FILE, DevSigstore.TRUST_CONFIG_FILE);
  private static final String BUNDLE_SUFFIX = ".sigstore";

  /** One line of the report. */
  public record Check(String file, String what, boolean ok, String detail) {}

  private final SigstoreVerifier verifier;
  private final IdentityPolicy policy;

  public ReleaseFolderVerifier(SigstoreVerifier verifier, IdentityPolicy policy) {
    this.verifier = verifier;
    this.policy = policy;
  }

  public List<Check> verify(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(Files::isRegularFile).sorted().toList();
    }
    List<Check> checks = new ArrayList<>();
    for (Path file : files) {
      String name = file.getFileName().toString();
      if (name.endsWith(BUNDLE_SUFFIX)) {
        String artifact = name.substring(0, name.length() - BUNDLE_SUFFIX.length());
        if (!Files.exists(dir.resolve(artifact))) {
          checks.add(new Check(artifact, "signature", false, "bundle " + name + " has no file beside it"));
        }
      } else if (!INDEX_FILES.contains(name)) {
        checks.add(signature(file, dir.resolve(name + BUNDLE_SUFFIX)));
      }
    }
    checks.addAll(provenanceSubjects(dir));
    return checks;
  }

  private Check signature(Path file, Path bundleFile) throws IOException {
    String name = file.getFileName().toString();
    if (!Files.exists(bundleFile)) {
      return new Check(name, "signature", false, "unsigned: no " + bundleFile.getFileName());
    }
    try {
      Bundle bundle = Bundle.from(bundleFile, StandardCharsets.UTF_8);
      verifier.verify(HexFormat.of().parseHex(Digests.sha256Hex(file)), bundle, policy);
      return new Check(name, "signature", true, "signed by " + policy);
    } catch (BundleParseException e) {
      return new Check(name, "signature", false, bundleFile.getFileName() + " is not a Sigstore bundle: "
          + e.getMessage());
    } catch (KeylessVerificationException e) {
      return new Check(name, "signature", false, e.getMessage());
    }
  }

  private static List<Check> provenanceSubjects(Path dir) throws IOException {
    Path provenance = dir.resolve(ProvenanceWriter.FILE_NAME);
    if (!Files.exists(provenance)) {
      return List.of(new Check(ProvenanceWriter.FILE_NAME, "provenance", false, "missing"));
    }
    JsonNode statement = new ObjectMapper().readTree(provenance.toFile());
    if (!ProvenanceWriter.PREDICATE_TYPE.equals(statement.path("predicateType").asText())) {
      return List.of(new Check(ProvenanceWriter.FILE_NAME, "provenance", false,
          "predicateType is not " + ProvenanceWriter.PREDICATE_TYPE));
    }
    List<Check> checks = new ArrayList<>();
    for (JsonNode subject : statement.path("subject")) {
      String name = subject.path("name").asText();
      String expected = subject.path("digest").path("sha256").asText();
      Path file = dir.resolve(name).normalize();
      if (!file.getParent().equals(dir.normalize()) || !Files.isRegularFile(file)) {
        checks.add(new Check(name, "provenance subject", false, "named by the provenance but not in the folder"));
        continue;
      }
      String actual = Digests.sha256Hex(file);
      checks.add(actual.equals(expected)
          ? new Check(name, "provenance subject", true, "sha256 matches")
          : new Check(name, "provenance subject", false, "sha256 is " + actual + ", provenance says " + expected));
    }
    return checks;
  }
}
