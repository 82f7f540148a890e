package dev.durablerelease.store;

import java.nio.file.Files;

/** The contract on a local folder. */
class LocalArtifactStoreTest extends ArtifactStoreContract {

  @Override
  protected ArtifactStore store() throws Exception {
    return new LocalArtifactStore(tmp.resolve("store"));
  }

  @Override
  protected void corrupt(ArtifactStore store, String sha256, byte[] bytes) throws Exception {
    Files.write(((LocalArtifactStore) store).blobPath(sha256), bytes);
  }
}
