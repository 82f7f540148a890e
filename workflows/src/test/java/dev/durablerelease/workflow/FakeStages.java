package dev.durablerelease.workflow;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.BuildActivities;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.CommandReport;
import dev.durablerelease.activity.DecisionCheck;
import dev.durablerelease.activity.DocsActivities;
import dev.durablerelease.activity.GrantRequest;
import dev.durablerelease.activity.LimitsGrant;
import dev.durablerelease.activity.Manifest;
import dev.durablerelease.activity.ManifestInput;
import dev.durablerelease.activity.Provenance;
import dev.durablerelease.activity.ProvenanceInput;
import dev.durablerelease.activity.Publication;
import dev.durablerelease.activity.PublishedRelease;
import dev.durablerelease.activity.Rebuild;
import dev.durablerelease.activity.RebuildInput;
import dev.durablerelease.activity.SbomInput;
import dev.durablerelease.activity.Sboms;
import dev.durablerelease.activity.SignActivities;
import dev.durablerelease.activity.SignInput;
import dev.durablerelease.activity.SignedDecision;
import dev.durablerelease.activity.Signatures;
import dev.durablerelease.activity.SigningGrant;
import dev.durablerelease.activity.SourceActivities;
import dev.durablerelease.activity.TargetGrant;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.activity.UploadActivities;
import dev.durablerelease.activity.UploadInput;
import dev.durablerelease.contract.ArtifactKind;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.StageRun;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every stage's activity, answering at once with made-up files, so that the workflow's own decisions are tested alone
 * and in seconds. A stage can be made to fail, non-retryably, a number of times; every call is recorded by activity
 * name.
 */
final class FakeStages implements SourceActivities, BuildActivities, DocsActivities, SignActivities,
    UploadActivities {
  /** The signature a fake approver sends: {@code signed-by:NAME}; only the names in {@link #approvers} verify. */
  static final String SIGNED_BY = "signed-by:";

  final List<String> calls = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
  private volatile SigningGrant.ApprovalRule approval;
  private volatile List<String> approvers = List.of();
  private volatile PublishedRelease published = PublishedRelease.NONE;
  /** The last input of the sign stage. */
  volatile SignInput signed;
  private volatile int builders = 1;
  private final AtomicInteger differingRebuilds = new AtomicInteger();

  /**
   * Temporal's time-skipping test server with the release workflow on its queue and these fakes serving {@code queues},
   * the search attributes registered as a real server has them.
   */
  TestWorkflowEnvironment environment(List<String> queues) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    for (var key : ReleaseSearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    env.newWorker(TaskQueues.WORKFLOWS).registerWorkflowImplementationTypes(ReleaseWorkflowImpl.class);
    for (String queue : queues) {
      env.newWorker(queue).registerActivitiesImplementations(this);
    }
    return env;
  }

  /** The activity fails this many times, with a failure a retry cannot fix, before it succeeds. */
  FakeStages failing(String activity, int times) {
    failures.put(activity, new AtomicInteger(times));
    return this;
  }

  /** The sign domain's policy asks for these approvals. */
  FakeStages approvals(SigningGrant.ApprovalRule rule) {
    approval = rule;
    approvers = rule.approvers();
    return this;
  }

  /** What findPublished answers: what the targets already hold of the release. */
  FakeStages published(PublishedRelease release) {
    published = release;
    return this;
  }

  /** The sign domain's policy wants this many builders. */
  FakeStages builders(int count) {
    builders = count;
    return this;
  }

  /** The second builder makes other bytes of every archive this many times before it makes the same. */
  FakeStages rebuildsDiffering(int times) {
    differingRebuilds.set(times);
    return this;
  }

  int count(String activity) {
    return (int) calls.stream().filter(activity::equals).count();
  }

  private StageRun enter(String activity) {
    calls.add(activity);
    AtomicInteger left = failures.get(activity);
    if (left != null && left.getAndDecrement() > 0) {
      throw ApplicationFailure.newNonRetryableFailure(activity + " failed on purpose", "FakeFailure");
    }
    return new StageRun("fake-worker", 1, 1, false);
  }

  /** A file named so, its digest made from its name. */
  private static ArtifactRef file(String name, ArtifactKind kind) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return new ArtifactRef(name, kind, HexFormat.of().formatHex(digest), 1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public Checkout checkout(CheckoutInput input) {
    StageRun run = enter("checkout");
    return new Checkout(input.repository(), input.tag(), "c0ffee".repeat(7).substring(0, 40), "tree", 1_700_000_000L,
        input.spec(), "digest", input.resume(), run);
  }

  @Override
  public Archives buildSource(Checkout checkout) {
    StageRun run = enter("buildSource");
    return new Archives(List.of(file(checkout.spec().source().name() + ".tar.gz", ArtifactKind.SOURCE_ARCHIVE)), 3,
        run);
  }

  @Override
  public Rebuild rebuildSource(RebuildInput input) {
    StageRun run = enter("rebuildSource");
    if (differingRebuilds.getAndDecrement() <= 0) {
      return new Rebuild(input.archives(), input.sboms(), Map.of(), run);
    }
    List<ArtifactRef> archives = input.archives().stream()
        .map(a -> new ArtifactRef(a.name(), a.kind(), file(a.name() + " made otherwise", a.kind()).sha256(), 1))
        .toList();
    Map<String, String> differences = new java.util.TreeMap<>();
    archives.forEach(a -> differences.put(a.name(),
        "top/Makefile: mode 0644 (first builder) vs 0755 (second builder)"));
    return new Rebuild(archives, input.sboms(), differences, run);
  }

  @Override
  public Sboms generateSbom(SbomInput input) {
    StageRun run = enter("generateSbom");
    return new Sboms(input.archives().stream().map(a -> file(a.name() + ".spdx.json", ArtifactKind.SBOM)).toList(),
        run);
  }

  @Override
  public Provenance provenance(ProvenanceInput input) {
    return new Provenance(file("provenance.intoto.json", ArtifactKind.PROVENANCE), enter("provenance"));
  }

  @Override
  public Manifest writeManifest(ManifestInput input) {
    StageRun run = enter("writeManifest");
    return new Manifest(file("release.json", ArtifactKind.MANIFEST), file("SHA256SUMS", ArtifactKind.CHECKSUMS), run);
  }

  @Override
  public LimitsGrant grantTestLimits(GrantRequest request) {
    return new LimitsGrant("the defaults", enter("grantTestLimits"));
  }

  @Override
  public CommandReport testSource(CommandInput input) {
    return new CommandReport(file("test.log", ArtifactKind.LOG), List.of(), 1, enter("testSource"));
  }

  @Override
  public LimitsGrant grantDocsLimits(GrantRequest request) {
    return new LimitsGrant("the defaults", enter("grantDocsLimits"));
  }

  @Override
  public CommandReport buildDocs(CommandInput input) {
    StageRun run = enter("buildDocs");
    return new CommandReport(file("docs.log", ArtifactKind.LOG), List.of(file(input.outputName() + "-html.tar.gz",
        ArtifactKind.DOCS_ARCHIVE)), 1, run);
  }

  @Override
  public SigningGrant grantSigning(GrantRequest request) {
    return new SigningGrant("dev", null, null, approval, enter("grantSigning"), null, builders);
  }

  @Override
  public SignedDecision verifyDecision(DecisionCheck check) {
    enter("verifyDecision");
    String name = check.signature().startsWith(SIGNED_BY) ? check.signature().substring(SIGNED_BY.length()) : "";
    if (!approvers.contains(name)) {
      throw ApplicationFailure.newNonRetryableFailure("not the key of an approver", "ApprovalRefused");
    }
    return new SignedDecision(name, "ssh-ed25519 KEY " + name, "SHA256:" + name, SignedDecision.NAMESPACE,
        check.statement(), check.signature());
  }

  @Override
  public Signatures sign(SignInput input) {
    StageRun run = enter("sign");
    signed = input;
    return new Signatures(input.files().stream().map(f -> file(f.name() + ".sigstore", ArtifactKind.SIGNATURE))
        .toList(), null, null, "dev", "dev", run);
  }

  @Override
  public TargetGrant grantTargets(GrantRequest request) {
    StageRun run = enter("grantTargets");
    return new TargetGrant(request.targets().stream()
        .map(t -> new TargetGrant.GrantedTarget(t.target(), "file:///srv/" + t.target() + "/")).toList(), run);
  }

  @Override
  public Publication upload(UploadInput input) {
    StageRun run = enter("upload");
    return new Publication(input.targets().stream().map(t -> "file:///srv/" + t.target() + "/").toList(),
        input.files().size(), run, false, 0, 0, List.of());
  }

  @Override
  public PublishedRelease findPublished(UploadInput content) {
    enter("findPublished");
    return published;
  }

  @Override
  public void discardStaging(UploadInput input) {
    enter("discardStaging");
  }
}
