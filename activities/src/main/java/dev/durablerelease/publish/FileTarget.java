package dev.durablerelease.publish;

import dev.durablerelease.store.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.jgit.util.FileUtils;

/** A {@code file://} target: a folder on the upload worker (or a mount), where a staged file is renamed into place. */
final class FileTarget implements PublishTarget {
  private final String url;
  private final Path directory;

  FileTarget(String url) {
    this.url = url;
    this.directory = Path.of(URI.create(url));
  }

  @Override
  public String url() {
    return url;
  }

  @Override
  public long size(String path) throws IOException {
    Path file = directory.resolve(path);
    return Files.isRegularFile(file) ? Files.size(file) : -1;
  }

  @Override
  public Optional<String> sha256(String path) throws IOException {
    Path file = directory.resolve(path);
    return Files.isRegularFile(file) ? Optional.of(Digests.sha256Hex(file)) : Optional.empty();
  }

  @Override
  public void write(String path, long size, String sha256, Content content) throws IOException {
    Path file = directory.resolve(path);
    Files.createDirectories(file.getParent());
    try (InputStream in = content.open()) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Override
  public void move(String from, String to) throws IOException {
    Files.move(directory.resolve(from), directory.resolve(to), StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public void deleteFolder(String path) throws IOException {
    FileUtils.delete(directory.resolve(path).toFile(), FileUtils.RECURSIVE | FileUtils.SKIP_MISSING);
  }

  @Override
  public Optional<List<String>> list(String folder) throws IOException {
    Path dir = directory.resolve(folder);
    if (!Files.isDirectory(dir)) {
      return Optional.of(List.of());
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return Optional.of(entries.map(p -> p.getFileName().toString()).toList());
    }
  }

  @Override
  public void close() {}
}
