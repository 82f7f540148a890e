package dev.durablerelease.config;

import dev.durablerelease.spec.SourceSpec;
import java.util.LinkedHashSet;
import java.util.List;

/** The {@code source} section: archive name, formats, exclusions, submodules and the file size limit. */
final class SourceValidator {
  static final List<String> FORMATS = List.of("tar.gz", "tar.xz", "zip");

  private final Findings findings;

  SourceValidator(Findings findings) {
    this.findings = findings;
  }

  SourceSpec normalize(SourceSpec raw) {
    SourceSpec s = raw == null ? new SourceSpec(null, null, null, null, null, null) : raw;
    String name = findings.expand(s.name() == null ? "{project}-{version}" : s.name(), "/source/name");
    if (name != null && (name.isBlank() || name.contains("/") || name.contains("\\") || name.startsWith("."))) {
      findings.error("/source/name", "\"" + name + "\" cannot be an archive name; use a plain file name such as"
          + " {project}-{version}");
    }
    List<String> formats = findings.formats(s.formats(), List.of("tar.gz"), FORMATS, "/source/formats");
    List<String> given = s.exclude() == null ? List.of() : s.exclude();
    for (int i = 0; i < given.size(); i++) {
      if (given.get(i) == null || given.get(i).isBlank()) {
        findings.error("/source/exclude/" + i, "empty pattern");
      }
    }
    boolean defaultExclude = s.defaultExclude() == null || s.defaultExclude();
    // defaults first, each pattern once: normalising an already normalised spec changes nothing
    LinkedHashSet<String> exclude = new LinkedHashSet<>();
    if (defaultExclude) {
      exclude.addAll(SourceSpec.DEFAULT_EXCLUDE);
    }
    exclude.addAll(given);
    String submodules = s.submodules() == null ? SourceSpec.SUBMODULES_ERROR : s.submodules();
    if (!submodules.equals(SourceSpec.SUBMODULES_ERROR) && !submodules.equals(SourceSpec.SUBMODULES_INCLUDE)) {
      findings.error("/source/submodules", "\"" + submodules + "\" is not allowed; use error (a submodule stops the"
          + " build) or include (archive it at its recorded commit, from a URL the operator's policy allows)");
    }
    String maxFileSize = s.maxFileSize() == null ? SourceSpec.DEFAULT_MAX_FILE_SIZE : s.maxFileSize();
    if (SourceSpec.parseSize(maxFileSize) <= 0) {
      findings.error("/source/maxFileSize", "\"" + maxFileSize + "\" is not a size; write e.g. 2GiB, 500MiB or a"
          + " number of bytes");
    }
    return new SourceSpec(name, formats, List.copyOf(exclude), defaultExclude, submodules, maxFileSize);
  }
}
