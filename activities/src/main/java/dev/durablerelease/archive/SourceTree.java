package dev.durablerelease.archive;

import dev.durablerelease.git.FetchMonitor;
import dev.durablerelease.git.GitCache;
import dev.durablerelease.spec.SourceSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.Repository;

/**
 * The entries of a commit's source archives, read from the worker's git cache, with the repositories they read from
 * open until {@link #close()}: what buildSource, the second builder and {@code release verify --rebuild} all archive.
 */
public final class SourceTree implements AutoCloseable {
  private final Repository repository;
  private final List<Repository> submodules;
  private final List<ArchiveEntry> entries;

  /** Decides whether a submodule may be fetched from its URL (on a worker, the operator's policy); throws if not. */
  @FunctionalInterface
  public interface SubmoduleGate {
    void check(String path, String url);
  }

  private SourceTree(Repository repository, List<Repository> submodules, List<ArchiveEntry> entries) {
    this.repository = repository;
    this.submodules = submodules;
    this.entries = entries;
  }

  /**
   * Fetches the tag when the commit is not cached yet, and lists what the spec's archives hold; {@code fetches} hears
   * how the fetches go.
   */
  public static SourceTree open(GitCache git, String repositoryUrl, String tag, String commit, SourceSpec source,
      SubmoduleGate gate, FetchMonitor fetches) throws IOException {
    List<Repository> submodules = new ArrayList<>();
    GitTreeEntries.Submodules fetchSubmodule = (path, url, subCommit) -> {
      gate.check(path, GitCache.resolveUrl(repositoryUrl, url));
      Repository sub = git.openSubmodule(repositoryUrl, path, url, subCommit, fetches);
      submodules.add(sub);
      return sub;
    };
    GitTreeEntries.Rules rules = new GitTreeEntries.Rules(new ExcludeRules(source.exclude()),
        source.maxFileSizeBytes(), source.includeSubmodules() ? fetchSubmodule : null);
    Repository repository = git.open(repositoryUrl, tag, commit, fetches);
    try {
      return new SourceTree(repository, submodules, GitTreeEntries.list(repository, commit, source.name(), rules));
    } catch (IOException | RuntimeException e) {
      new SourceTree(repository, submodules, List.of()).close();
      throw e;
    }
  }

  /** Every entry in archive order, directories included. */
  public List<ArchiveEntry> entries() {
    return entries;
  }

  /** Regular files and symlinks. */
  public int fileCount() {
    return (int) entries.stream().filter(e -> e.type() != ArchiveEntry.Type.DIRECTORY).count();
  }

  @Override
  public void close() {
    submodules.forEach(Repository::close);
    repository.close();
  }
}
