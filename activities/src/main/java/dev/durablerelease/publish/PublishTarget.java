package dev.durablerelease.publish;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A place release files are published to, seen as a folder: every path is relative to the target's URL and uses
 * {@code /}. The {@link Publisher} stages files under a {@code .staging-<run>/} folder there, verifies them and then
 * moves them into place; a target only has to provide these few operations.
 */
public interface PublishTarget extends Closeable {

  /** The bytes of one file, opened again for each try. */
  @FunctionalInterface
  interface Content {
    InputStream open() throws IOException;
  }

  /** The target's URL, ending in {@code /}. */
  String url();

  /** The size of the file at {@code path}, or -1 when there is none. */
  long size(String path) throws IOException;

  /** The SHA-256 of the file at {@code path} as the target holds it (read back, or its checksum), if there is one. */
  Optional<String> sha256(String path) throws IOException;

  /** Opens the file at {@code path} for reading (to hand out a published file); the caller checks its digest. */
  InputStream read(String path) throws IOException;

  /** Writes a file of {@code size} bytes with digest {@code sha256}, replacing what an earlier try left there. */
  void write(String path, long size, String sha256, Content content) throws IOException;

  /**
   * Moves a staged file to its public path (a rename where the target has one, else copy then delete), never replacing
   * a file there: when {@code to} exists (it appeared after the check), both stay as they are and this throws {@link
   * java.nio.file.FileAlreadyExistsException} saying so.
   */
  void move(String from, String to) throws IOException;

  /** Removes one file; nothing happens when there is none. */
  void delete(String path) throws IOException;

  /** Removes a staging folder and everything in it; nothing happens when there is none. */
  void deleteFolder(String path) throws IOException;

  /**
   * The names in a folder (files and folders), for the order check's view of what the target holds; empty when this
   * kind of target has no listing (a missing folder lists as no names).
   */
  default Optional<List<String>> list(String folder) throws IOException {
    return Optional.empty();
  }
}
