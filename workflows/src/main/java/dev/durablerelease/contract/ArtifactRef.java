package dev.durablerelease.contract;

/**
 * A file of the release, by reference: the bytes live in the artifact store under their SHA-256.
 *
 * @param name the file name it is published under, e.g. {@code hello-2.1.0.tar.gz}
 * @param kind what it is
 * @param sha256 lower-case hex digest of the content
 * @param size content length in bytes
 */
public record ArtifactRef(String name, ArtifactKind kind, String sha256, long size) {}
