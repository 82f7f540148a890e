package dev.durablerelease.archive;

/**
 * One regular file of an archive and its digests.
 *
 * @param path path inside the archive, e.g. {@code hello-1.0.0/src/main.c}
 * @param size content length in bytes
 * @param sha1 lower-case hex SHA-1
 * @param sha256 lower-case hex SHA-256
 */
public record FileDigest(String path, long size, String sha1, String sha256) {}
