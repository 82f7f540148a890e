package dev.durablerelease.policy;

import java.util.List;

/**
 * Which submodule URLs the source worker may fetch, with its own credentials, for a project whose spec includes
 * submodules. Nothing is allowed unless listed; local paths and {@code file://} only when listed as such.
 *
 * @param allow URL patterns: exact, or with {@code *} for any characters within one path segment and {@code **}
 *     across segments, e.g. {@code https://github.com/python/*}
 */
public record SubmodulePolicy(List<String> allow) {
  public List<String> patterns() {
    return allow == null ? List.of() : allow;
  }
}
