package dev.durablerelease.contract;

/** The release checklist, in order. The ids are what release managers, the CLI and the Temporal UI show. */
public enum Stage {
  /** What the release asks for (targets, signing, limits) is granted by each domain's policy. */
  CHECK_POLICY("checkPolicy"),
  CHECKOUT("checkout"),
  BUILD_SOURCE("buildSource"),
  /** A second builder makes the source archives and their SBOMs again; both must be byte-identical. */
  REBUILD_SOURCE("rebuildSource"),
  TEST_SOURCE("testSource"),
  BUILD_DOCS("buildDocs"),
  GENERATE_SBOM("generateSbom"),
  APPROVAL("approval"),
  PROVENANCE("provenance"),
  SIGN("sign"),
  WRITE_MANIFEST("writeManifest"),
  UPLOAD("upload");

  private final String id;

  Stage(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The stage with this id, or null. */
  public static Stage byId(String id) {
    for (Stage stage : values()) {
      if (stage.id.equals(id)) {
        return stage;
      }
    }
    return null;
  }
}
