package dev.durablerelease.publish;

import dev.durablerelease.store.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
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
  public InputStream read(String path) throws IOException {
    return Files.newInputStream(directory.resolve(path));
  }

  @Override
  public void write(String path, long size, String sha256, Content content) throws IOException {
    Path file = directory.resolve(path);
    Files.createDirectories(file.getParent());
    try (InputStream in = content.open()) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /**
   * A rename replaces what is there, so the staged file gets a second name instead: a hard link fails atomically when
   * the name exists. Where the file system has no hard links, a move that refuses an existing name (checked just
   * before the rename) is the fallback.
   */
  @Override
  public void move(String from, String to) throws IOException {
    Path staged = directory.resolve(from);
    Path published = directory.resolve(to);
    try {
      Files.createLink(published, staged);
      Files.delete(staged);
    } catch (FileAlreadyExistsException e) {
      throw appeared(to);
    } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
      try {
        Files.move(staged, published);
      } catch (FileAlreadyExistsException e) {
        throw appeared(to);
      }
    }
  }

  private FileAlreadyExistsException appeared(String to) {
    return new FileAlreadyExistsException(url + to, null, "a file appeared there after the check; the move"
        + " refused to replace it");
  }

  @Override
  public void delete(String path) throws IOException {
    Files.deleteIfExists(directory.resolve(path));
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
