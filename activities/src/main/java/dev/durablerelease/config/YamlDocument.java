package dev.durablerelease.config;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A YAML document read for its records: the tree, and the line of every key, so that every problem found while
 * binding and validating it can name its line.
 */
final class YamlDocument {
  private static final ObjectMapper YAML = YAMLMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      // unknown keys are found by the walk in bind(), all of them, with their lines
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .build();

  private final ObjectNode root;
  private final Map<String, Integer> lines;

  private YamlDocument(ObjectNode root, Map<String, Integer> lines) {
    this.root = root;
    this.lines = lines;
  }

  /**
   * Parses YAML text that must hold a mapping.
   *
   * @param kind what the document is, for errors, e.g. {@code release spec}
   * @param firstKeys how to begin an empty document, e.g. {@code project, repository and version}
   */
  static YamlDocument parse(String yaml, String kind, String origin, String firstKeys) throws ConfigException {
    Map<String, Integer> lines = new HashMap<>();
    JsonNode tree;
    try {
      try (JsonParser p = new YAMLMapper().getFactory().createParser(yaml)) {
        while (p.nextToken() != null) {
          lines.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation().getLineNr());
        }
      }
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new ConfigException(kind, origin,
          List.of(new ConfigError("(file)", line, "not valid YAML: " + e.getOriginalMessage())));
    } catch (IOException e) {
      throw new UncheckedIOException("reading YAML from memory", e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw new ConfigException(kind, origin,
          List.of(new ConfigError("(file)", 0, "the " + kind + " is empty; start with " + firstKeys)));
    }
    if (!tree.isObject()) {
      throw new ConfigException(kind, origin,
          List.of(new ConfigError("(file)", 1, "the " + kind + " must be a mapping of keys (" + firstKeys + ")")));
    }
    return new YamlDocument((ObjectNode) tree, lines);
  }

  ObjectNode root() {
    return root;
  }

  Map<String, Integer> lines() {
    return lines;
  }

  /**
   * Binds the node at {@code pointer} (a JSON pointer, "" for the whole document) to a record type, reporting every
   * key no record takes; returns null when the node cannot be bound at all (a wrong type, reported too). Keys of a
   * record with an any-setter are kept in it for its validator to name.
   */
  <T> T bind(String pointer, Type type, Findings findings) {
    JsonNode node = pointer.isEmpty() ? root : root.at(pointer);
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    findUnknownKeys(node, type, pointer, findings);
    try {
      return YAML.readerFor(YAML.constructType(type)).readValue(node);
    } catch (JsonMappingException e) {
      String at = pointer + pointerOf(e.getPath());
      findings.error(at, "wrong type: " + simpleMessage(e));
      return null;
    } catch (IOException e) {
      findings.error(pointer, e.getMessage());
      return null;
    }
  }

  private void findUnknownKeys(JsonNode node, Type type, String pointer, Findings findings) {
    Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    if (raw.isRecord() && node.isObject()) {
      Map<String, RecordComponent> components = new HashMap<>();
      boolean keepsUnknown = false;
      for (RecordComponent component : raw.getRecordComponents()) {
        if (keepsUnknownKeys(raw, component)) {
          keepsUnknown = true;
        } else {
          components.put(component.getName(), component);
        }
      }
      boolean reportUnknown = !keepsUnknown;
      node.fields().forEachRemaining(field -> {
        String at = pointer + "/" + field.getKey();
        RecordComponent component = components.get(field.getKey());
        if (component != null) {
          findUnknownKeys(field.getValue(), component.getGenericType(), at, findings);
        } else if (reportUnknown) {
          findings.error(at, "unknown key; " + knownKeys(raw));
        }
      });
    } else if (List.class.isAssignableFrom(raw) && node.isArray() && type instanceof ParameterizedType p) {
      for (int i = 0; i < node.size(); i++) {
        findUnknownKeys(node.get(i), p.getActualTypeArguments()[0], pointer + "/" + i, findings);
      }
    } else if (Map.class.isAssignableFrom(raw) && node.isObject() && type instanceof ParameterizedType p) {
      node.fields().forEachRemaining(field -> findUnknownKeys(field.getValue(), p.getActualTypeArguments()[1],
          pointer + "/" + field.getKey(), findings));
    }
  }

  /** "known keys here: a, b, c" for a record type. */
  static String knownKeys(Class<?> type) {
    if (!type.isRecord()) {
      return "check the spelling";
    }
    return "known keys here: " + Arrays.stream(type.getRecordComponents())
        .filter(c -> !keepsUnknownKeys(type, c))
        .map(RecordComponent::getName)
        .sorted()
        .collect(Collectors.joining(", "));
  }

  /** The component that takes the keys no other component takes ({@code @JsonAnySetter}, kept on its field). */
  private static boolean keepsUnknownKeys(Class<?> record, RecordComponent component) {
    try {
      return record.getDeclaredField(component.getName()).isAnnotationPresent(JsonAnySetter.class);
    } catch (NoSuchFieldException e) {
      return false;
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
    if (javaType.startsWith("dev.durablerelease.")) {
      return "a mapping";
    }
    return javaType.replace("java.lang.", "").toLowerCase(Locale.ROOT);
  }
}
