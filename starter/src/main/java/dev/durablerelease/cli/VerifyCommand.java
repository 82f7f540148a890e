package dev.durablerelease.cli;

import dev.durablerelease.activities.EngineVersion;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.policy.SigningPolicy;
import dev.durablerelease.rebuild.ReleaseRebuild;
import dev.durablerelease.sign.IdentityPolicy;
import dev.durablerelease.sign.ReleaseFolderVerifier;
import dev.durablerelease.sign.SigstoreInstance;
import dev.durablerelease.sign.SigstoreVerifier;
import dev.durablerelease.sign.dev.DevSigstore;
import dev.sigstore.TrustedRootProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.eclipse.jgit.util.FileUtils;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code release verify DIR}: every file against its Sigstore bundle, and the provenance against the files; with
 * {@code --rebuild}, the source archives and SBOMs made again from the provenance and compared byte for byte.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify a release folder (or the http(s) URL it is published at): each file against its .sigstore"
        + " bundle with a trusted root and an identity policy, and the provenance's subjects against the files. With"
        + " --rebuild, also rebuild the source archives and SBOMs from the provenance and compare them. Exit 0 only"
        + " when every check passes.")
class VerifyCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Parameters(paramLabel = "DIR_OR_URL",
      description = "the release folder (files, their .sigstore bundles, provenance), or the http(s) URL of the folder"
          + " it is published in")
  String location;

  @Option(names = "--rebuild",
      description = "fetch the commit the provenance names, build the source archives and SBOMs again with this engine"
          + " in a temporary folder and compare each with the published file (needs no Temporal server). Without"
          + " --certificate-identity and --certificate-oidc-issuer, signatures are not checked")
  boolean rebuild;

  @Option(names = "--trusted-root", paramLabel = "FILE",
      description = "trusted_root.json of the Sigstore instance that signed (default: Sigstore's public instance,"
          + " fetched through its TUF repository)")
  Path trustedRoot;

  @Option(names = "--allow-dev",
      description = "accept a dev trust root (dev signing: a throwaway Sigstore instance that vouches for nothing"
          + " beyond the machine that made the release); refused without it")
  boolean allowDev;

  @ArgGroup(multiplicity = "0..1")
  Identity identity;

  @ArgGroup(multiplicity = "0..1")
  Issuer issuer;

  static class Identity {
    @Option(names = "--certificate-identity", paramLabel = "IDENTITY", required = true,
        description = "the signer's certificate identity (e-mail or URI), exactly")
    String exact;

    @Option(names = "--certificate-identity-regexp", paramLabel = "REGEX", required = true,
        description = "a regular expression the whole identity must match")
    String regex;
  }

  static class Issuer {
    @Option(names = "--certificate-oidc-issuer", paramLabel = "URL", required = true,
        description = "the OIDC issuer of the signer's identity, exactly")
    String exact;

    @Option(names = "--certificate-oidc-issuer-regexp", paramLabel = "REGEX", required = true,
        description = "a regular expression the whole issuer must match")
    String regex;
  }

  @Override
  public Integer call() throws Exception {
    boolean signatures = identity != null || issuer != null || !rebuild;
    if (signatures && (identity == null || issuer == null)) {
      throw new UserError("give the signer: --certificate-identity (or --certificate-identity-regexp) and"
          + " --certificate-oidc-issuer (or --certificate-oidc-issuer-regexp)"
          + (rebuild ? "" : "; or --rebuild alone to rebuild the files without checking signatures"));
    }
    if (trustedRoot != null && !Files.isRegularFile(trustedRoot)) {
      throw new UserError("trusted root " + trustedRoot + " does not exist");
    }
    if (trustedRoot != null && !allowDev && isDevTrustRoot(trustedRoot)) {
      throw new UserError(trustedRoot + " is a dev trust root (" + DevSigstore.LABEL + "): the release was dev-signed,"
          + " which proves nothing to anyone else. Add --allow-dev to check it anyway");
    }
    Path scratch = Files.createTempDirectory("durable-release-verify-");
    try {
      Path dir = releaseFolder(scratch);
      PrintWriter out = command.commandLine().getOut();
      boolean ok = true;
      if (signatures) {
        ok = verifySignatures(dir, out);
      }
      if (rebuild) {
        ok &= rebuild(dir, Files.createDirectory(scratch.resolve("rebuild")), out);
      }
      out.flush();
      return ok ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
    } finally {
      FileUtils.delete(scratch.toFile(), FileUtils.RECURSIVE | FileUtils.IGNORE_ERRORS);
    }
  }

  /** The folder to verify: the one given, or a copy of the release published at the URL given. */
  private Path releaseFolder(Path scratch) throws IOException, InterruptedException {
    if (ReleaseDownload.isUrl(location)) {
      Path copy = Files.createDirectory(scratch.resolve("published"));
      ReleaseDownload.fetch(location, copy);
      return copy;
    }
    Path dir = Path.of(location);
    if (!Files.isDirectory(dir)) {
      throw new UserError(dir + " is not a folder; give the folder the release was published to, or its http(s) URL");
    }
    return dir;
  }

  private boolean verifySignatures(Path dir, PrintWriter out) throws Exception {
    IdentityPolicy policy = new IdentityPolicy(
        identity.exact != null ? identity.exact : SigningPolicy.REGEX_PREFIX + identity.regex,
        issuer.exact != null ? issuer.exact : SigningPolicy.REGEX_PREFIX + issuer.regex);
    TrustedRootProvider root = trustedRoot != null
        ? TrustedRootProvider.from(trustedRoot)
        : SigstoreInstance.publicGood().trustedRoot();
    List<ReleaseFolderVerifier.Check> checks =
        new ReleaseFolderVerifier(new SigstoreVerifier(root), policy).verify(dir);
    int width = checks.stream().mapToInt(c -> c.file().length()).max().orElse(4);
    out.printf("%-" + width + "s  %-18s  %s%n", "FILE", "CHECK", "RESULT");
    for (ReleaseFolderVerifier.Check check : checks) {
      out.printf("%-" + width + "s  %-18s  %s%n", check.file(), check.what(),
          (check.ok() ? "ok: " : "FAILED: ") + check.detail());
    }
    long failed = checks.stream().filter(c -> !c.ok()).count();
    out.println(failed == 0
        ? "verified: " + checks.size() + " checks passed"
        : "NOT verified: " + failed + " of " + checks.size() + " checks failed");
    return failed == 0;
  }

  /**
   * The rebuild's table, after any warning: one line per file, {@code same} or {@code differs} with the first differing
   * entry.
   */
  private boolean rebuild(Path dir, Path workDir, PrintWriter out) throws IOException {
    List<ReleaseRebuild.Line> lines;
    ReleaseRebuild.Recorded recorded;
    try {
      recorded = ReleaseRebuild.read(dir);
      ReleaseRebuild.warnings(recorded, EngineVersion.get()).forEach(warning -> out.println("warning: " + warning));
      out.println("rebuilding from " + recorded.repository() + ", tag " + recorded.tag() + " at " + recorded.commit());
      out.flush();
      lines = ReleaseRebuild.rebuild(dir, recorded, workDir, EngineVersion.get());
    } catch (ReleaseRebuild.CannotRebuild | StageFailure e) {
      out.println("NOT rebuilt: " + e.getMessage());
      return false;
    }
    int width = lines.stream().mapToInt(l -> l.file().length()).max().orElse(4);
    out.printf("%-" + width + "s  %s%n", "FILE", "REBUILT");
    for (ReleaseRebuild.Line line : lines) {
      out.printf("%-" + width + "s  %s%n", line.file(), line.same() ? "same" : "differs: " + line.detail());
    }
    long differing = lines.stream().filter(l -> !l.same()).count();
    out.println(differing == 0
        ? "rebuilt: " + lines.size() + " files, every one the same"
        : "NOT rebuilt the same: " + differing + " of " + lines.size() + " files differ");
    return differing == 0;
  }

  /** A trust root written by dev signing names its CA as such (release.json says "signing": "dev" too). */
  private static boolean isDevTrustRoot(Path file) throws IOException {
    return Files.readString(file).contains(DevSigstore.LABEL);
  }
}
