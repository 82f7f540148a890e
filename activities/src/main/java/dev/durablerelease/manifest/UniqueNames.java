package dev.durablerelease.manifest;

import dev.durablerelease.contract.ArtifactRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every file of a release is published under its name, so two files of one name would overwrite each other (or half
 * publish the release): a release whose names are not unique stops before anything is written anywhere.
 */
public final class UniqueNames {
  private UniqueNames() {}

  /** Each name that more than one file has, with those files, e.g. {@code a.tar.gz (docs archive sha256:…, …)}. */
  public static List<String> duplicates(List<ArtifactRef> files) {
    Map<String, List<ArtifactRef>> byName = new LinkedHashMap<>();
    for (ArtifactRef file : files) {
      byName.computeIfAbsent(file.name(), name -> new ArrayList<>()).add(file);
    }
    List<String> duplicates = new ArrayList<>();
    byName.forEach((name, named) -> {
      if (named.size() > 1) {
        duplicates.add(name + " (" + String.join(", ", named.stream()
            .map(f -> f.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " sha256:" + f.sha256())
            .toList()) + ")");
      }
    });
    return duplicates;
  }
}
