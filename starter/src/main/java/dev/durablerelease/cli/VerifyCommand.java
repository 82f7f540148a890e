package dev.durablerelease.cli;

import dev.durablerelease.policy.SigningPolicy;
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
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code release verify DIR}: every file against its Sigstore bundle, and the provenance against the files. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify a release folder: each file against its .sigstore bundle with a trusted root and an identity"
        + " policy, and the provenance's subjects against the files. Exit 0 only when every check passes.")
class VerifyCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Parameters(paramLabel = "DIR", description = "the release folder (files, their .sigstore bundles, provenance)")
  Path dir;

  @Option(names = "--trusted-root", paramLabel = "FILE",
      description = "trusted_root.json of the Sigstore instance that signed (default: Sigstore's public instance,"
          + " fetched through its TUF repository)")
  Path trustedRoot;

  @Option(names = "--allow-dev",
      description = "accept a dev trust root (dev signing: a throwaway Sigstore instance that vouches for nothing"
          + " beyond the machine that made the release); refused without it")
  boolean allowDev;

  @ArgGroup(multiplicity = "1")
  Identity identity;

  @ArgGroup(multiplicity = "1")
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
    if (!Files.isDirectory(dir)) {
      throw new UserError(dir + " is not a folder; give the folder the release was published to");
    }
    if (trustedRoot != null && !Files.isRegularFile(trustedRoot)) {
      throw new UserError("trusted root " + trustedRoot + " does not exist");
    }
    if (trustedRoot != null && !allowDev && isDevTrustRoot(trustedRoot)) {
      throw new UserError(trustedRoot + " is a dev trust root (" + DevSigstore.LABEL + "): the release was dev-signed,"
          + " which proves nothing to anyone else. Add --allow-dev to check it anyway");
    }
    IdentityPolicy policy = new IdentityPolicy(
        identity.exact != null ? identity.exact : SigningPolicy.REGEX_PREFIX + identity.regex,
        issuer.exact != null ? issuer.exact : SigningPolicy.REGEX_PREFIX + issuer.regex);
    TrustedRootProvider root = trustedRoot != null
        ? TrustedRootProvider.from(trustedRoot)
        : SigstoreInstance.publicGood().trustedRoot();
    List<ReleaseFolderVerifier.Check> checks =
        new ReleaseFolderVerifier(new SigstoreVerifier(root), policy).verify(dir);

    PrintWriter out = command.commandLine().getOut();
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
    out.flush();
    return failed == 0 ? ExitCodes.OK : ExitCodes.VERIFICATION_FAILED;
  }

  /** A trust root written by dev signing names its CA as such (release.json says "signing": "dev" too). */
  private static boolean isDevTrustRoot(Path file) throws IOException {
    return Files.readString(file).contains(DevSigstore.LABEL);
  }
}
