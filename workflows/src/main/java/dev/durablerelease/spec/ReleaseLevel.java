package dev.durablerelease.spec;

import java.util.Arrays;
import java.util.List;

/**
 * How far along its way to a final a version is, in the order of PEP 440 and CPython's release tooling: what stages,
 * approvals and targets are gated on ({@code when: [rc, final]}).
 */
public enum ReleaseLevel {
  DEV,
  ALPHA,
  BETA,
  RC,
  FINAL,
  POST;

  /** The name written in specs and policies: {@code dev}, {@code alpha}, {@code beta}, {@code rc}, … */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public boolean isPreRelease() {
    return compareTo(FINAL) < 0;
  }

  /** The level of this name, or null. */
  public static ReleaseLevel byId(String id) {
    return Arrays.stream(values()).filter(level -> level.id().equals(id)).findFirst().orElse(null);
  }

  /** Every name, for messages. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(ReleaseLevel::id).toList();
  }
}
