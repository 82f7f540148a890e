package dev.durablerelease.cli;

import dev.durablerelease.config.ConfigException;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.workflow.ReleaseRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What to release: a spec file, or a repository and version whose tagged commit holds {@code release.yaml}. */
class ReleaseInput {
  @Option(names = "--spec", paramLabel = "FILE", description = "the release spec (release.yaml)")
  Path spec;

  @Option(names = "--repository", paramLabel = "URL_OR_PATH",
      description = "git repository; overrides the spec's (a relative path is taken from the current folder)")
  String repository;

  @Option(names = "--release-version", paramLabel = "VERSION", description = "version to release; overrides the spec's")
  String version;

  @Option(names = "--tag", description = "tag to release when the spec comes from the repository (default v<version>)")
  String tag;

  @Option(names = "--expected-commit", paramLabel = "SHA",
      description = "refuse the release unless the tag resolves to this commit")
  String expectedCommit;

  @Option(names = "--dry-run",
      description = "run every stage and stage the files on each target, verified, but publish nothing")
  boolean dryRun;

  /** Loads and validates the spec (every problem at once), before anything is started. */
  ReleaseRequest request() throws ConfigException, IOException {
    ReleaseRequest request = loadRequest();
    return dryRun ? request.asDryRun() : request;
  }

  private ReleaseRequest loadRequest() throws ConfigException, IOException {
    String repo = repository == null ? null : absoluteIfPath(repository, Path.of(""));
    if (spec == null) {
      if (repo == null || version == null) {
        throw new UserError("give --spec FILE, or --repository and --release-version to use the release.yaml"
            + " committed at the tag");
      }
      return new ReleaseRequest(repo, version, tag, expectedCommit, null);
    }
    String yaml;
    try {
      yaml = Files.readString(spec, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UserError("spec file " + spec + " does not exist");
    }
    ReleaseSpec loaded = SpecLoader.load(yaml, spec.toString(), new SpecLoader.Overrides(repo, version));
    // a relative repository path in a spec file is relative to the file, as in git's own config
    Path specFolder = spec.toAbsolutePath().getParent();
    loaded = loaded.withRepository(absoluteIfPath(loaded.repository(), specFolder));
    return new ReleaseRequest(loaded.repository(), loaded.version(), tag, expectedCommit, loaded);
  }

  private static String absoluteIfPath(String repository, Path base) {
    if (repository.contains("://") || repository.matches("[^/\\s@]+@[^/\\s:]+:.+")) {
      return repository;
    }
    return base.toAbsolutePath().resolve(repository).normalize().toString();
  }
}
