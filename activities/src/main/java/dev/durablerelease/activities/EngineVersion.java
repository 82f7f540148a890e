package dev.durablerelease.activities;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This engine's version, as named in SBOM creators and provenance. */
public final class EngineVersion {
  private static final String VERSION = load();

  private EngineVersion() {}

  public static String get() {
    return VERSION;
  }

  private static String load() {
    try (InputStream in = EngineVersion.class.getResourceAsStream("/durable-release.properties")) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException("durable-release.properties is missing from the activities jar", e);
    }
  }
}
