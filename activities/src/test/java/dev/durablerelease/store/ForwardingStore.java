package dev.durablerelease.store;

import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/** A store that passes every call on; tests override one call to observe or disturb it. */
class ForwardingStore implements ArtifactStore {
  private final ArtifactStore delegate;

  ForwardingStore(ArtifactStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public ArtifactRef put(Path file, String name, ArtifactKind kind) throws IOException {
    return delegate.put(file, name, kind);
  }

  @Override
  public InputStream open(String sha256) throws IOException {
    return delegate.open(sha256);
  }

  @Override
  public void copyTo(ArtifactRef ref, Path destination) throws IOException {
    delegate.copyTo(ref, destination);
  }

  @Override
  public boolean contains(String sha256) throws IOException {
    return delegate.contains(sha256);
  }

  @Override
  public Optional<byte[]> readRecord(String key) throws IOException {
    return delegate.readRecord(key);
  }

  @Override
  public boolean createRecord(String key, byte[] json) throws IOException {
    return delegate.createRecord(key, json);
  }

  @Override
  public void writeRecord(String key, byte[] json) throws IOException {
    delegate.writeRecord(key, json);
  }

  @Override
  public java.util.List<String> listRecords(String folder) throws IOException {
    return delegate.listRecords(folder);
  }

  @Override
  public String location() {
    return delegate.location();
  }
}
