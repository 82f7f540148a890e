package dev.durablerelease.spec;

/**
 * One publication target.
 *
 * @param url where the release's files go, e.g. {@code file:///srv/releases/{project}/{version}/}
 */
public record UploadSpec(String url) {}
