package dev.durablerelease.spec;

import java.util.List;

/**
 * How the source archives are made.
 *
 * @param name archive base name and the single top folder inside it, e.g. {@code hello-2.1.0}
 * @param formats archive formats, e.g. {@code [tar.gz]}
 * @param exclude git-style globs of paths left out of the archives
 */
public record SourceSpec(String name, List<String> formats, List<String> exclude) {}
