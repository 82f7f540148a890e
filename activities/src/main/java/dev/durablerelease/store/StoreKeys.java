package dev.durablerelease.store;

import java.util.Arrays;
import java.util.regex.Pattern;

/** The store's layout, the same on every backend: {@code blobs/sha256/ab/<digest>} and {@code records/<key>.json}. */
final class StoreKeys {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern RECORD_KEY = Pattern.compile("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*");

  private StoreKeys() {}

  static String blob(String sha256) {
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
    }
    return "blobs/sha256/" + sha256.substring(0, 2) + "/" + sha256;
  }

  static String record(String key) {
    if (!RECORD_KEY.matcher(key).matches()
        || Arrays.stream(key.split("/")).anyMatch(segment -> segment.equals(".") || segment.equals(".."))) {
      throw new IllegalArgumentException("record key \"" + key + "\" may hold only letters, digits, . _ - and /");
    }
    return "records/" + key + ".json";
  }

  /** The folder of records whose keys start with {@code folder/}. */
  static String recordFolder(String folder) {
    String marker = record(folder + "/x");
    return marker.substring(0, marker.length() - "x.json".length());
  }

  /** The name of a record in a folder listing, or null for what is not a record. */
  static String recordName(String fileName) {
    return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - ".json".length()) : null;
  }
}
