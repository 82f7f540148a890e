package dev.durablerelease.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.durablerelease.spec.ReleaseSpec;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Reads the project's {@code release.yaml} into a {@link ReleaseSpec}: every problem is reported at once, each naming
 * the field and its line, before anything runs. The result is normalised (defaults filled in, placeholders expanded).
 */
public final class SpecLoader {
  /** The spec's name inside the released repository. */
  public static final String FILE_NAME = "release.yaml";
  static final String KIND = "release spec";

  private static final ObjectMapper CANONICAL_JSON =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private SpecLoader() {}

  /** Values given on the command line or in the workflow input; a non-null value wins over the file. */
  public record Overrides(String repository, String version) {
    public static final Overrides NONE = new Overrides(null, null);
  }

  /** Parses, validates and normalises spec text; {@code origin} names it in errors (a file name). */
  public static ReleaseSpec load(String yaml, String origin, Overrides overrides) throws ConfigException {
    YamlDocument document = YamlDocument.parse(yaml, KIND, origin, "project, repository and version");
    if (overrides.repository() != null) {
      document.root().put("repository", overrides.repository());
    }
    if (overrides.version() != null) {
      document.root().put("version", overrides.version());
    }
    Findings findings = new Findings(document.lines());
    ReleaseSpec raw = document.bind("", ReleaseSpec.class, findings);
    ReleaseSpec spec = raw == null ? null : new SpecValidator(findings).normalize(raw);
    if (!findings.isEmpty()) {
      // unknown keys and invalid values together, so that one edit fixes them all
      throw new ConfigException(KIND, origin, findings.sorted());
    }
    return spec;
  }

  /** Validates and normalises a spec that came as an object (workflow input), not as a file. */
  public static ReleaseSpec normalize(ReleaseSpec raw, String origin) throws ConfigException {
    Findings findings = new Findings(Map.of());
    ReleaseSpec spec = new SpecValidator(findings).normalize(raw);
    if (!findings.isEmpty()) {
      throw new ConfigException(KIND, origin, findings.sorted());
    }
    return spec;
  }

  /** SHA-256 of the spec's canonical JSON: what provenance and resume compare. */
  public static String digest(ReleaseSpec spec) {
    try {
      byte[] json = CANONICAL_JSON.writeValueAsBytes(spec);
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot digest spec", e);
    }
  }
}
