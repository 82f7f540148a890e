package dev.durablerelease.store;

import dev.durablerelease.testing.S3ProxyServer;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;

/** The contract on S3-compatible storage: s3proxy on loopback, through the worker's local cache as workers use it. */
class S3ArtifactStoreTest extends ArtifactStoreContract {
  private S3ProxyServer server;

  @Override
  protected ArtifactStore store() throws Exception {
    server = S3ProxyServer.start(Files.createDirectories(tmp.resolve("s3")));
    try (var client = server.client()) {
      client.createBucket(b -> b.bucket("releases"));
    }
    return new S3ArtifactStore(server.client(), "releases", "store/");
  }

  @Override
  protected void corrupt(ArtifactStore store, String sha256, byte[] bytes) throws Exception {
    Files.write(server.objectFile("releases", ((S3ArtifactStore) store).blobKey(sha256)), bytes);
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }
}
