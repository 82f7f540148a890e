package dev.durablerelease.activities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.BlobIntegrityException;
import dev.durablerelease.store.Digests;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageOutput;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results of finished stages in the artifact store, keyed by the stage and the digest of its inputs: what lets a
 * resumed release (after a crash of the embedded server, or a failure) reuse the work already done.
 */
final class StageRecords {
  private static final Logger log = LoggerFactory.getLogger(StageRecords.class);
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED)
      .build();

  /** Fields that say how or whether to run, not what to make: they do not change a stage's result. */
  private static final Set<String> NOT_INPUTS = Set.of("run", "resume");

  private final ArtifactStore store;

  StageRecords(ArtifactStore store) {
    this.store = store;
  }

  /** {@code stages/<stage>/<sha256 of the canonical input>}. */
  static String key(String stage, Object input) {
    JsonNode tree = JSON.valueToTree(input);
    strip(tree);
    try {
      return "stages/" + stage + "/" + Digests.sha256Hex(JSON.writeValueAsBytes(tree));
    } catch (IOException e) {
      throw new IllegalStateException("cannot digest the input of " + stage, e);
    }
  }

  /**
   * The recorded result, if there is one and every file it names is still in the store with the bytes its digest
   * says (each is read whole; a damaged one is quarantined by the store, and the stage runs again to make it anew).
   */
  <T extends StageOutput> Optional<T> find(String key, Class<T> type) throws IOException {
    Optional<byte[]> record = store.readRecord(key);
    if (record.isEmpty()) {
      return Optional.empty();
    }
    T result = JSON.readValue(record.get(), type);
    for (ArtifactRef artifact : result.artifacts()) {
      try {
        store.verify(artifact.sha256());
      } catch (NoSuchFileException | BlobIntegrityException e) {
        log.warn("not reusing {}: {} {}", key, artifact.name(), e.getMessage());
        return Optional.empty();
      }
    }
    return Optional.of(result);
  }

  void save(String key, StageOutput result) throws IOException {
    store.writeRecord(key, JSON.writeValueAsBytes(result));
  }

  private static void strip(JsonNode node) {
    if (node instanceof ObjectNode object) {
      object.remove(NOT_INPUTS);
    }
    node.forEach(StageRecords::strip);
  }
}
