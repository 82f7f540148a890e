package dev.durablerelease.workflow;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.BuildActivities;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.CommandReport;
import dev.durablerelease.activity.DocsActivities;
import dev.durablerelease.activity.GrantRequest;
import dev.durablerelease.activity.LimitsGrant;
import dev.durablerelease.activity.Manifest;
import dev.durablerelease.activity.ManifestInput;
import dev.durablerelease.activity.Provenance;
import dev.durablerelease.activity.ProvenanceInput;
import dev.durablerelease.activity.Publication;
import dev.durablerelease.activity.PublishedRelease;
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
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.spec.CommandSpec;
import dev.durablerelease.spec.DocsSpec;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.TargetRequest;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * The release checklist as a workflow: each stage one activity on the task queue of its trust domain. A stage that
 * fails in a way a retry cannot fix blocks the release at that stage until an operator decides; nothing is published
 * from a blocked or aborted release.
 */
public class ReleaseWorkflowImpl implements ReleaseWorkflow {
  private static final Logger log = Workflow.getLogger(ReleaseWorkflowImpl.class);

  private final ReleaseProgress progress = new ReleaseProgress();
  private final StageRunner stages = new StageRunner(progress);
  private final ApprovalGate approvalGate = new ApprovalGate(progress, stages);
  private final TwoBuilders builders = new TwoBuilders(stages);
  /** Every file of the release so far, in the order they were made. */
  private final List<ArtifactRef> artifacts = new ArrayList<>();
  /** Logs of the project commands, kept in the store. */
  private final List<ArtifactRef> logs = new ArrayList<>();
  private final SignedDecisions signedDecisions = new SignedDecisions(() -> List.copyOf(artifacts));
  private final OperatorDecisions operators =
      new OperatorDecisions(progress, stages, approvalGate, signedDecisions, this::abortRequested);

  /** False for a release started before operator policies, whose history replays as it ran (see PrePolicyRelease). */
  private boolean policies;
  /** False for a release started before version schemes: no stage was gated by its version. */
  private boolean versionGating;
  private final VersionGates versionGates = new VersionGates();
  private ReleaseSpec spec;
  /** A dry run stages and verifies on the targets but publishes nothing. */
  private boolean dryRun;
  private OperatorEvent abort;
  /** Abort cancels this scope: running activities are cancelled and waits end. */
  private CancellationScope releaseScope;
  /** Set once the upload stage has started: its targets may hold files this run staged. */
  private UploadInput upload;

  @Override
  public ReleaseResult run(ReleaseRequest request) {
    policies = Workflow.getVersion("operatorPolicy", Workflow.DEFAULT_VERSION, 1) == 1;
    versionGating = Workflow.getVersion("versionGating", Workflow.DEFAULT_VERSION, 1) == 1;
    CheckoutInput checkoutInput = ReleaseInputs.checkout(request);
    dryRun = request.dryRun();
    spec = request.spec();
    progress.name(spec != null ? spec.project() : null, checkoutInput.version());
    progress.show();
    ReleaseResult[] result = new ReleaseResult[1];
    releaseScope = Workflow.newCancellationScope(() -> result[0] = release(checkoutInput));
    try {
      if (abort != null) { // sent before the release started: nothing was made
        throw new CanceledFailure("aborted before the release started");
      }
      releaseScope.run();
    } catch (CanceledFailure e) {
      if (abort == null) {
        progress.end(ReleaseState.FAILED, "the release workflow was cancelled");
        throw e;
      }
      String leftStaged = discardStaging();
      progress.end(ReleaseState.ABORTED, "aborted " + abort.by() + OperatorDecisions.noteSuffix(abort) + leftStaged,
          "aborted " + abort.by());
      throw ApplicationFailure.newNonRetryableFailure(
          "release aborted " + abort.by() + " at " + abort.stage() + OperatorDecisions.noteSuffix(abort)
              + (leftStaged.isEmpty() ? "; nothing was published" : leftStaged), "ReleaseAborted");
    }
    return result[0];
  }

  /** The checklist, one step per stage. */
  private ReleaseResult release(CheckoutInput input) {
    // a spec sent with the release is checked against the policy before anything is fetched
    Grants grants = policies && spec != null ? checkPolicy(spec) : null;
    Checkout checkout = checkout(input);
    if (grants == null) {
      grants = policies ? checkPolicy(checkout.spec()) : PrePolicyRelease.grants(checkout.spec());
    }
    configure(checkout, grants);
    Archives archives = buildSource(checkout);
    if (builders.required()) {
      // before anything is tested, signed or published: a second builder must make the same files
      artifacts.addAll(builders.agree(checkout, archives));
    }
    testAndBuildDocs(checkout, archives);
    generateSbom(checkout);
    // a release every target already holds is done: nothing is approved, signed or published again
    PublishedRelease published = findPublished();
    if (published.complete()) {
      return alreadyPublished(checkout, grants, published);
    }
    // published in part (a run that died while publishing): what is made again must be what was published
    Checkout made = published.partly() ? checkout.resuming() : checkout;
    if (grants.approval() != null) {
      // approve before signing: nothing is signed or published that nobody approved
      approvalGate.await(grants.approval());
    }
    provenance(made);
    if (grants.signing().signs()) {
      sign(made);
    }
    Manifest manifest = writeManifest(made, grants);
    List<String> publishedTo = spec.hasUploads() && !versionGates.skips(Stage.UPLOAD) ? upload(manifest) : List.of();
    progress.end(ReleaseState.SUCCEEDED, (dryRun ? "dry run of " : "released ") + spec.project() + " "
        + progress.version());
    log.info("{} {} {} from {}", dryRun ? "dry run of" : "released", spec.project(), progress.version(),
        checkout.tag());
    return new ReleaseResult(spec.project(), progress.version(), checkout.tag(), checkout.commit(),
        List.copyOf(artifacts), List.copyOf(logs), manifest.releaseJson(), manifest.checksums(), publishedTo,
        progress.checklist().snapshot(), progress.operatorEvents(), false);
  }

  /**
   * Asks each trust domain whether its policy grants what the release asks for: the targets (upload), signing and
   * approvals (sign), the commands' limits (build, docs). A refusal blocks the release before any build work.
   */
  private Grants checkPolicy(ReleaseSpec asked) {
    String version = progress.version();
    GrantRequest request = new GrantRequest(asked.project(), version, asked.upload(), null,
        versionGating ? asked.versioning() : null);
    return stages.run(Stage.CHECK_POLICY, () -> {
      Promise<SigningGrant> signing = Async.function(Workflow.newActivityStub(SignActivities.class,
          StageOptions.check(TaskQueues.SIGN, "checkPolicy: signing and approvals"))::grantSigning, request);
      Promise<TargetGrant> targets = !asked.hasUploads() ? Workflow.newPromise(null)
          : Async.function(Workflow.newActivityStub(UploadActivities.class,
              StageOptions.check(TaskQueues.UPLOAD, "checkPolicy: targets"))::grantTargets, request);
      List<Promise<LimitsGrant>> limits = new ArrayList<>();
      if (asked.hasTests()) {
        limits.add(Async.function(Workflow.newActivityStub(BuildActivities.class,
                StageOptions.check(TaskQueues.BUILD, "checkPolicy: test limits"))::grantTestLimits,
            new GrantRequest(asked.project(), version, List.of(), asked.test().limits())));
      }
      if (asked.hasDocs()) {
        limits.add(Async.function(Workflow.newActivityStub(DocsActivities.class,
                StageOptions.check(TaskQueues.DOCS, "checkPolicy: docs limits"))::grantDocsLimits,
            new GrantRequest(asked.project(), version, List.of(), asked.docs().limits())));
      }
      return new Grants(targets.get(), signing.get(), limits.stream().map(Promise::get).toList());
    }, Grants::describe);
  }

  private Checkout checkout(CheckoutInput input) {
    return stages.run(Stage.CHECKOUT, () -> Workflow.newActivityStub(SourceActivities.class,
            StageOptions.source("checkout " + input.tag())).checkout(input),
        c -> "tag " + c.tag() + " is commit " + c.commit().substring(0, 12));
  }

  /** Once the spec and the grants are known: which stages run, and what operators' decisions need. */
  private void configure(Checkout checkout, Grants grants) {
    spec = checkout.spec();
    progress.name(spec.project(), progress.version());
    stages.skippable(this::skippable);
    signedDecisions.configure(grants.approval(), checkout);
    Checklist checklist = progress.checklist();
    if (!policies) {
      operators.approveByName(PrePolicyRelease.approvers(spec));
      checklist.notConfigured(Stage.CHECK_POLICY);
    }
    if (!spec.hasTests()) {
      checklist.notConfigured(Stage.TEST_SOURCE);
    }
    if (!spec.hasDocs()) {
      checklist.notConfigured(Stage.BUILD_DOCS);
    }
    if (grants.approval() == null) {
      checklist.notConfigured(Stage.APPROVAL);
    }
    if (!grants.signing().signs()) {
      checklist.notConfigured(Stage.SIGN);
    }
    if (!spec.hasUploads()) {
      checklist.notConfigured(Stage.UPLOAD);
    }
    if (versionGating) {
      versionGates.apply(checklist, spec, checkout.facts(), grants, Workflow.currentTimeMillis());
    }
    if (!builders.configure(grants.signing())) {
      checklist.notConfigured(Stage.REBUILD_SOURCE);
    }
    progress.show();
  }

  private Archives buildSource(Checkout checkout) {
    Archives archives = stages.run(Stage.BUILD_SOURCE, () -> Workflow.newActivityStub(SourceActivities.class,
            StageOptions.source("buildSource " + String.join(", ", spec.source().formats()))).buildSource(checkout),
        a -> a.archives().size() + " archive(s) of " + a.fileCount() + " files");
    artifacts.addAll(archives.archives());
    return archives;
  }

  /** Tests and docs run side by side on their own queues, both from the built archive. */
  private void testAndBuildDocs(Checkout checkout, Archives archives) {
    List<Promise<CommandReport>> commands = new ArrayList<>();
    if (spec.hasTests() && !versionGates.skips(Stage.TEST_SOURCE)) {
      CommandSpec test = spec.test();
      commands.add(Async.function(() -> stages.run(Stage.TEST_SOURCE, () -> Workflow.newActivityStub(
              BuildActivities.class, StageOptions.command(TaskQueues.BUILD, test.timeout(), "testSource: "
                  + test.command())).testSource(ReleaseInputs.test(checkout, archives)),
          r -> "passed")));
    }
    if (spec.hasDocs() && !versionGates.skips(Stage.BUILD_DOCS)) {
      DocsSpec docs = spec.docs();
      commands.add(Async.function(() -> stages.run(Stage.BUILD_DOCS, () -> Workflow.newActivityStub(
              DocsActivities.class, StageOptions.command(TaskQueues.DOCS, docs.timeout(), "buildDocs: "
                  + docs.command())).buildDocs(ReleaseInputs.docs(checkout, archives)),
          r -> r.outputs().size() + " docs archive(s)")));
    }
    Promise.allOf(commands).get();
    for (Promise<CommandReport> command : commands) {
      CommandReport report = command.get();
      if (report != null) { // null: skipped by an operator
        artifacts.addAll(report.outputs());
        logs.add(report.log());
      }
    }
  }

  private void generateSbom(Checkout checkout) {
    // the archives two builders agreed on already have their SBOMs
    List<ArtifactRef> described = artifacts.stream().filter(a -> !builders.covers(a)).toList();
    Sboms sboms = stages.run(Stage.GENERATE_SBOM, () -> Workflow.newActivityStub(SourceActivities.class,
            StageOptions.source("generateSbom for " + described.size() + " archive(s)"))
            .generateSbom(new SbomInput(checkout, described)),
        s -> s.sboms().size() + " SBOM(s)");
    artifacts.addAll(sboms.sboms());
  }

  private void provenance(Checkout checkout) {
    List<ArtifactRef> subjects = List.copyOf(artifacts);
    Provenance provenance = stages.run(Stage.PROVENANCE, () -> Workflow.newActivityStub(SourceActivities.class,
            StageOptions.source("provenance of " + subjects.size() + " file(s)"))
            .provenance(new ProvenanceInput(checkout, subjects, progress.checklist().snapshot(),
                progress.operatorEvents(), approvalGate.approvals(), builders.agreement())),
        p -> "SLSA v1 statement over " + subjects.size() + " file(s)");
    artifacts.add(provenance.statement());
  }

  private void sign(Checkout checkout) {
    List<ArtifactRef> unsigned = List.copyOf(artifacts);
    Signatures signatures = stages.run(Stage.SIGN, () -> Workflow.newActivityStub(SignActivities.class,
            StageOptions.sign("sign " + unsigned.size() + " file(s)")).sign(new SignInput(spec.project(),
            progress.version(), unsigned, approvalGate.approvals(), checkout.resume())),
        s -> s.bundles().size() + " bundle(s), verified as " + s.identity());
    artifacts.addAll(signatures.bundles());
    if (signatures.trustedRoot() != null) {
      artifacts.add(signatures.trustedRoot());
    }
    if (signatures.trustConfig() != null) {
      artifacts.add(signatures.trustConfig());
    }
  }

  private Manifest writeManifest(Checkout checkout, Grants grants) {
    List<ArtifactRef> files = List.copyOf(artifacts);
    return stages.run(Stage.WRITE_MANIFEST, () -> Workflow.newActivityStub(SourceActivities.class,
            StageOptions.source("writeManifest")).writeManifest(new ManifestInput(checkout, files,
            List.copyOf(logs), progress.checklist().snapshot(), grants.targetUrls(), progress.operatorEvents(),
            approvalGate.approvals(), grants.signing().mode(), builders.agreement())),
        m -> "release.json and SHA256SUMS");
  }

  /**
   * What the targets already hold of this release (given its content files so far: archives, docs, SBOMs), asked
   * before approval and signing. Not asked by runs started before this check existed, nor without targets; when it
   * cannot be answered, the upload meets the same trouble and blocks with it.
   */
  private PublishedRelease findPublished() {
    if (!spec.hasUploads() || versionGates.skips(Stage.UPLOAD)
        || Workflow.getVersion("findPublished", Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return PublishedRelease.NONE;
    }
    try {
      return Workflow.newActivityStub(UploadActivities.class, StageOptions.upload("look for " + spec.project() + " "
              + progress.version() + " on " + spec.upload().size() + " target(s)"))
          .findPublished(new UploadInput(spec.project(), progress.version(), spec.upload(), List.copyOf(artifacts),
              dryRun));
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure cancelled) {
        throw cancelled;
      }
      log.warn("cannot tell whether the targets already hold this release: {}", StageRunner.reason(e));
      return PublishedRelease.NONE;
    }
  }

  /** Ends a run whose release every target already holds: the published files are its result, nothing is made. */
  private ReleaseResult alreadyPublished(Checkout checkout, Grants grants, PublishedRelease published) {
    String detail = "already published: release.json sha256:" + published.releaseJson().sha256().substring(0, 12)
        + " on " + spec.upload().size() + " target(s)";
    Checklist checklist = progress.checklist();
    long now = Workflow.currentTimeMillis();
    for (Stage stage : List.of(Stage.APPROVAL, Stage.PROVENANCE, Stage.SIGN, Stage.WRITE_MANIFEST, Stage.UPLOAD)) {
      if (checklist.state(stage) == StageState.PENDING) { // not those the spec or the version leave out
        checklist.published(stage, now, detail);
      }
    }
    progress.end(ReleaseState.SUCCEEDED, spec.project() + " " + progress.version() + " " + detail);
    log.info("{} {} from {} is {}", spec.project(), progress.version(), checkout.tag(), detail);
    return new ReleaseResult(spec.project(), progress.version(), checkout.tag(), checkout.commit(), published.files(),
        List.copyOf(logs), published.releaseJson(), published.checksums(), dryRun ? List.of() : grants.targetUrls(),
        checklist.snapshot(), progress.operatorEvents(), true);
  }

  /** Publishes every file with the manifest last; returns the targets published to (none for a dry run). */
  private List<String> upload(Manifest manifest) {
    List<ArtifactRef> publishOrder = new ArrayList<>(artifacts);
    publishOrder.add(manifest.checksums());
    publishOrder.add(manifest.releaseJson());
    List<TargetRequest> targets = versionGates.targets(spec.upload());
    upload = new UploadInput(spec.project(), progress.version(), targets, publishOrder, dryRun,
        versionGating ? spec.versioning() : null);
    Publication publication = stages.run(Stage.UPLOAD, () -> Workflow.newActivityStub(UploadActivities.class,
            StageOptions.upload("upload " + publishOrder.size() + " files to " + targets.size()
                + " target(s)")).upload(upload),
        Publication::describe);
    return publication.dryRun() ? List.of() : publication.targets();
  }

  /**
   * An aborted release whose upload had begun takes back what it staged on the targets, and what a blocked upload had
   * moved into place (abort is refused while the upload runs). Returns what is left behind, for the end message, or
   * "" when nothing of the release is left on any target.
   */
  private String discardStaging() {
    if (upload == null || Workflow.getVersion("discardStagingOnAbort", Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return "";
    }
    String[] left = {""};
    // the release scope is cancelled: the clean-up runs in a scope of its own
    Workflow.newDetachedCancellationScope(() -> {
      try {
        Workflow.newActivityStub(UploadActivities.class, StageOptions.upload("remove the staged files"))
            .discardStaging(upload);
      } catch (ActivityFailure e) {
        String reason = StageRunner.reason(e);
        log.warn("the staged files of this run could not be removed: {}", reason);
        left[0] = "; what its upload staged or moved into place could not all be removed from the targets ("
            + ReleaseProgress.firstLine(reason) + ")";
      }
    }).run();
    return left[0];
  }

  private void abortRequested(OperatorEvent event) {
    abort = event;
    if (releaseScope != null) {
      releaseScope.cancel();
    }
  }

  private boolean skippable(Stage stage) {
    return switch (stage) {
      case TEST_SOURCE -> spec.test().skippable();
      case BUILD_DOCS -> spec.docs().skippable();
      default -> false;
    };
  }

  @Override
  public ReleaseStatus status() {
    return progress.status(progress.awaitsApproval() ? approvalStatus() : null,
        stage -> signedDecisions.skipsNeedSignature() ? signedDecisions.skip(stage).text() : null);
  }

  private ApprovalStatus approvalStatus() {
    if (!policies) {
      return new ApprovalStatus(1, PrePolicyRelease.approvers(spec), List.of(), null);
    }
    SigningGrant.ApprovalRule rule = signedDecisions.rule();
    return new ApprovalStatus(rule.approvals(), rule.approvers(),
        approvalGate.approvals().stream().map(SignedDecision::approver).toList(), signedDecisions.approval().text());
  }

  @Override
  public void validateRetry(OperatorAction action) {
    operators.validateRetry(action);
  }

  @Override
  public String retry(OperatorAction action) {
    return operators.retry(action);
  }

  @Override
  public void validateSkip(OperatorAction action) {
    operators.validateSkip(action);
  }

  @Override
  public String skip(OperatorAction action) {
    return operators.skip(action);
  }

  @Override
  public void validateAbort(OperatorAction action) {
    operators.validateAbort(action);
  }

  @Override
  public String abort(OperatorAction action) {
    return operators.abort(action);
  }

  @Override
  public void validateApprove(OperatorAction action) {
    operators.validateApprove(action);
  }

  @Override
  public String approve(OperatorAction action) {
    return operators.approve(action);
  }
}
