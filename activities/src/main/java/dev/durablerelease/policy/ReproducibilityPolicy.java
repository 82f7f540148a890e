package dev.durablerelease.policy;

/**
 * Whether a project's source archives and SBOMs must be built twice, by builders administered apart, and be
 * byte-identical before anything is tested, signed or published. Read on the sign worker: the domain that guards what
 * gets signed decides, never the source workers the check distrusts.
 *
 * @param builders 2: a second builder on the {@code source2} queue makes them again; 1 (the default): one builder
 */
public record ReproducibilityPolicy(Integer builders) {
  public static final int MAX_BUILDERS = 2;

  public int required() {
    return builders == null ? 1 : builders;
  }
}
