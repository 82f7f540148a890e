package dev.durablerelease.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.Failures;
import dev.durablerelease.store.ArtifactStore;
import dev.durablerelease.store.Digests;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What was published where: for each (target, path) the digest published there, as a record in the artifact store
 * ({@code ledger/<sha256 of the target URL without its user>/<path>}). Records are created once and never replaced, so the first
 * publication of a path wins and every later run is checked against it.
 */
public final class PublishLedger {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One published file.
   *
   * @param target the target URL
   * @param path the file's path under it
   * @param sha256 the digest published
   * @param size its size in bytes
   * @param run the workflow run that published it
   */
  public record Entry(String target, String path, String sha256, long size, String run) {}

  private final ArtifactStore store;

  public PublishLedger(ArtifactStore store) {
    this.store = store;
  }

  public Optional<Entry> find(String target, String path) throws IOException {
    Optional<byte[]> record = store.readRecord(key(target, path));
    return record.isEmpty() ? Optional.empty() : Optional.of(JSON.readValue(record.get(), Entry.class));
  }

  /** Records a publication; one already recorded with the same digest is kept, one with another is a conflict. */
  public void record(String target, ArtifactRef file, String run) throws IOException {
    Entry entry = new Entry(target, file.name(), file.sha256(), file.size(), run);
    if (!store.createRecord(key(target, file.name()), JSON.writeValueAsBytes(entry))) {
      Entry earlier = find(target, file.name()).orElseThrow();
      if (!earlier.sha256().equals(file.sha256())) {
        throw new StageFailure(Failures.PUBLISH_CONFLICT, target + file.name() + " was recorded as published with"
            + " sha256:" + earlier.sha256() + " by run " + earlier.run() + " while this run published sha256:"
            + file.sha256());
      }
    }
  }

  private static String key(String target, String path) {
    String name = path.matches("[A-Za-z0-9._-]+") && !path.matches("\\.+") ? path
        : Digests.sha256Hex(path.getBytes(StandardCharsets.UTF_8));
    return "ledger/" + Digests.sha256Hex(place(target).getBytes(StandardCharsets.UTF_8)) + "/" + name;
  }

  /** The place, not the account: a target URL with another user in it names the same files. */
  static String place(String target) {
    return target.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^@/]*@", "$1");
  }
}
