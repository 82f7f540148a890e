package dev.durablerelease.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code release.yaml} into a {@link ReleaseSpec}: every problem is reported at once, each naming the field and
 * its line, before anything runs. The result is normalised (defaults filled in, placeholders expanded).
 */
public final class SpecLoader {
  /** The spec's name inside the released repository. */
  public static final String FILE_NAME = "release.yaml";

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
  public static ReleaseSpec load(String yaml, String origin, Overrides overrides) throws SpecException {
    Map<String, Integer> lines = new HashMap<>();
    JsonNode tree;
    try {
      indexLines(yaml, lines);
      tree = yamlMapper().readTree(yaml);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new SpecException(origin, List.of(new SpecError("(file)", line, "not valid YAML: " + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new UncheckedIOException("reading spec text from memory", e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new SpecException(origin, List.of(new SpecError("(file)", 0, "the spec is empty; start with project, repository and version")));
    }
    if (!tree.isObject()) {
      throw new SpecException(origin, List.of(new SpecError("(file)", 1, "the spec must be a mapping of keys (project: …, version: …)")));
    }
    ObjectNode root = (ObjectNode) tree;
    if (overrides.repository() != null) {
      root.put("repository", overrides.repository());
    }
    if (overrides.version() != null) {
      root.put("version", overrides.version());
    }
    List<SpecError> errors = new ArrayList<>();
    ReleaseSpec raw = bind(root, errors, lines);
    if (raw == null) {
      throw new SpecException(origin, sorted(errors));
    }
    try {
      ReleaseSpec spec = new SpecValidator(lines).normalize(raw, origin);
      if (errors.isEmpty()) {
        return spec;
      }
    } catch (SpecException e) {
      errors.addAll(e.errors());
    }
    // unknown keys and invalid values together, so that one edit fixes them all
    throw new SpecException(origin, sorted(errors));
  }

  /** Validates and normalises a spec that came as an object (workflow input), not as a file. */
  public static ReleaseSpec normalize(ReleaseSpec raw, String origin) throws SpecException {
    return new SpecValidator(Map.of()).normalize(raw, origin);
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

  static List<SpecError> sorted(List<SpecError> errors) {
    List<SpecError> copy = new ArrayList<>(errors);
    copy.sort(Comparator.comparingInt(SpecError::line).thenComparing(SpecError::field));
    return copy;
  }

  /** Records the line of every key and value, by JSON pointer, so that errors can name their line. */
  private static void indexLines(String yaml, Map<String, Integer> lines) throws IOException {
    try (JsonParser p = new YAMLMapper().getFactory().createParser(yaml)) {
      while (p.nextToken() != null) {
        lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
      }
    }
  }

  private static ReleaseSpec bind(ObjectNode root, List<SpecError> errors, Map<String, Integer> lines) {
    findUnknownKeys(root, ReleaseSpec.class, "", errors, lines);
    try {
      return yamlMapper().treeToValue(root, ReleaseSpec.class);
    } catch (JsonMappingException e) {
      String pointer = pointerOf(e.getPath());
      errors.add(new SpecError(SpecValidator.dotted(pointer), SpecValidator.lineOf(lines, pointer),
          "wrong type: " + simpleMessage(e)));
      return null;
    } catch (JsonProcessingException e) {
      errors.add(new SpecError("(file)", 0, e.getOriginalMessage()));
      return null;
    }
  }

  private static ObjectMapper yamlMapper() {
    return YAMLMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        // unknown keys are found by findUnknownKeys, all of them, with their lines
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        .build();
  }

  /** Reports every key that no record component takes, walking the tree alongside the spec's record types. */
  private static void findUnknownKeys(JsonNode node, Type type, String pointer, List<SpecError> errors,
      Map<String, Integer> lines) {
    Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (raw.isRecord() && node.isObject()) {
      Map<String, RecordComponent> components = new HashMap<>();
      for (RecordComponent component : raw.getRecordComponents()) {
        components.put(component.getName(), component);
      }
      node.fields().forEachRemaining(field -> {
        String at = pointer + "/" + field.getKey();
        RecordComponent component = components.get(field.getKey());
        if (component == null) {
          errors.add(new SpecError(SpecValidator.dotted(at), SpecValidator.lineOf(lines, at),
              "unknown key; " + SpecValidator.knownKeys(raw)));
        } else {
          findUnknownKeys(field.getValue(), component.getGenericType(), at, errors, lines);
        }
      });
    } else if (List.class.isAssignableFrom(raw) && node.isArray() && type instanceof ParameterizedType p) {
      for (int i = 0; i < node.size(); i++) {
        findUnknownKeys(node.get(i), p.getActualTypeArguments()[0], pointer + "/" + i, errors, lines);
      }
    }
  }

  private static String pointerOf(List<JsonMappingException.Reference> path) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      sb.append('/').append(ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()));
    }
    return sb.toString();
  }

  private static String simpleMessage(JsonMappingException e) {
    String message = e.getOriginalMessage();
    int cut = message.indexOf(" from ");
    if (message.startsWith("Cannot deserialize value of type") && cut > 0) {
      String type = message.substring("Cannot deserialize value of type ".length(), cut).replace("`", "");
      return "expected " + friendlyType(type) + message.substring(cut).replace("from", "but found").split("\n")[0];
    }
    return message.split("\n")[0];
  }

  private static String friendlyType(String javaType) {
    if (javaType.startsWith("java.util.List") || javaType.startsWith("java.util.ArrayList")) {
      return "a list";
    }
    if (javaType.startsWith("java.util.Map") || javaType.startsWith("java.util.LinkedHashMap")) {
      return "a mapping";
    }
    if (javaType.startsWith("dev.durablerelease.spec.")) {
      return "a mapping";
    }
    return javaType.replace("java.lang.", "").toLowerCase(java.util.Locale.ROOT);
  }
}
