package dev.durablerelease.config;

import dev.durablerelease.spec.ArtifactNames;
import dev.durablerelease.spec.DocsSpec;
import dev.durablerelease.spec.SourceSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every file of a release is published under its own name: two archives of one name (docs outputs whose folders have
 * one last name, say) would overwrite each other, so they are a spec error naming both entries. Names derived from an
 * archive (SBOMs, bundles) add a suffix of their own kind, and the fixed names (provenance, manifest) end unlike any
 * archive, so checking the archives' names is enough here; writeManifest and upload check every name again at run
 * time.
 */
final class ArtifactNamesValidator {
  private final Findings findings;

  ArtifactNamesValidator(Findings findings) {
    this.findings = findings;
  }

  void check(SourceSpec source, DocsSpec docs) {
    if (source.name() == null || docs == null) {
      return;
    }
    Map<String, String> madeBy = new LinkedHashMap<>(); // archive name -> the entry that makes it
    for (int i = 0; i < source.formats().size(); i++) {
      madeBy.put(ArtifactNames.sourceArchive(source.name(), source.formats().get(i)),
          "source.formats[" + i + "] (" + source.formats().get(i) + ")");
    }
    for (int i = 0; i < docs.outputs().size(); i++) {
      String output = docs.outputs().get(i);
      if (output == null) {
        continue;
      }
      String base = ArtifactNames.docsArchiveBase(ArtifactNames.docsPrefix(source.name()), source.name(), output);
      for (String format : docs.formats()) {
        String name = base + "." + format;
        String earlier = madeBy.putIfAbsent(name, "docs.outputs[" + i + "] (" + output + ")");
        if (earlier != null) {
          findings.error("/docs/outputs/" + i, "\"" + output + "\" makes the archive " + name + ", as " + earlier
              + " does; two files of one name would overwrite each other when published. Docs archives are named"
              + " after the folder's last name: build the folders under different last names");
          break;
        }
      }
    }
  }
}
