package dev.durablerelease.worker;

import java.nio.file.Path;
import java.util.Map;

/** Default folders, following the XDG base directory convention. */
public final class WorkerPaths {
  private WorkerPaths() {}

  /** {@code $DURABLE_RELEASE_STORE} (a folder or an s3:// URL), else {@code $XDG_DATA_HOME/durable-release/store}. */
  public static String defaultStore(Map<String, String> env) {
    String store = env.get("DURABLE_RELEASE_STORE");
    if (store != null && !store.isBlank()) {
      return store;
    }
    return xdg(env, "XDG_DATA_HOME", ".local/share").resolve("durable-release/store").toString();
  }

  /** {@code $XDG_CACHE_HOME/durable-release/work}: git caches and unpacked archives of this worker. */
  public static Path defaultWorkDir(Map<String, String> env) {
    return xdg(env, "XDG_CACHE_HOME", ".cache").resolve("durable-release/work");
  }

  private static Path xdg(Map<String, String> env, String variable, String fallback) {
    String value = env.get(variable);
    if (value != null && !value.isBlank()) {
      return Path.of(value);
    }
    return Path.of(System.getProperty("user.home")).resolve(fallback);
  }
}
