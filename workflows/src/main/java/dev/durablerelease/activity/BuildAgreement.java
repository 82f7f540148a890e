package dev.durablerelease.activity;

import java.util.List;

/**
 * Two builders, on queues served by hosts administered apart, made the same source archives and SBOMs, byte for byte.
 *
 * @param builders who built, the first builder first
 * @param files the files both made, by name
 */
public record BuildAgreement(List<Builder> builders, List<String> files) {

  /**
   * @param queue the task queue it served
   * @param workers the identities of the workers that made its files
   */
  public record Builder(String queue, List<String> workers) {}
}
