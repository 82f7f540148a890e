package dev.durablerelease.workflow;

import dev.durablerelease.activity.Archives;
import dev.durablerelease.activity.BuildActivities;
import dev.durablerelease.activity.Checkout;
import dev.durablerelease.activity.CheckoutInput;
import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.CommandReport;
import dev.durablerelease.activity.DocsActivities;
import dev.durablerelease.activity.Failures;
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
import dev.durablerelease.activity.Signatures;
import dev.durablerelease.activity.SourceActivities;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.activity.UploadActivities;
import dev.durablerelease.activity.UploadInput;
import dev.durablerelease.contract.ArtifactRef;
import dev.durablerelease.contract.OperatorEvent;
import dev.durablerelease.contract.Stage;
import dev.durablerelease.contract.StageOutput;
import dev.durablerelease.contract.StageState;
import dev.durablerelease.spec.ApprovalSpec;
import dev.durablerelease.spec.CommandSpec;
import dev.durablerelease.spec.DocsSpec;
import dev.durablerelease.spec.Durations;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.UploadSpec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * The release checklist as a workflow: each stage one activity on the task queue of its trust domain. A stage that
 * fails in a way a retry cannot fix blocks the release at that stage until an operator decides; nothing is published
 * from a blocked or aborted release.
 */
public class ReleaseWorkflowImpl implements ReleaseWorkflow {
  private static final Logger log = Workflow.getLogger(ReleaseWorkflowImpl.class);

  /** Transient faults (network, a worker dying) retry with backoff; the failure types a retry cannot fix do not. */
  private static final RetryOptions RETRY_TRANSIENT = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofSeconds(1))
      .setBackoffCoefficient(2.0)
      .setMaximumInterval(Duration.ofMinutes(1))
      .setMaximumAttempts(5)
      .setDoNotRetry(Failures.NON_RETRYABLE.toArray(String[]::new))
      .build();

  /** Project commands retry only when the worker died under them; a failing command is final. */
  private static final RetryOptions RETRY_COMMAND =
      RetryOptions.newBuilder(RETRY_TRANSIENT).setMaximumAttempts(3).build();

  /** Command stages heartbeat every 5 s, so a dead worker's attempt moves to another worker within half a minute. */
  private static final Duration COMMAND_HEARTBEAT_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Source, sign and upload activities heartbeat from a background thread while they run (they have no progress of
   * their own to report), so a worker that dies under one is noticed within a minute instead of at start-to-close.
   */
  private static final Duration LIVENESS = Duration.ofMinutes(1);

  /** Time beyond the command's own limit for unpacking the archive and storing the outputs. */
  private static final Duration COMMAND_OVERHEAD = Duration.ofMinutes(10);

  // fetching and archiving a large repository takes minutes, not hours
  private static final ActivityOptions SOURCE_OPTIONS = ActivityOptions.newBuilder()
      .setTaskQueue(TaskQueues.SOURCE)
      .setStartToCloseTimeout(Duration.ofMinutes(30))
      .setHeartbeatTimeout(LIVENESS)
      .setRetryOptions(RETRY_TRANSIENT)
      .build();

  // signing is a few calls to Sigstore's services per release; their outages retry with backoff
  private static final ActivityOptions SIGN_OPTIONS = ActivityOptions.newBuilder()
      .setTaskQueue(TaskQueues.SIGN)
      .setStartToCloseTimeout(Duration.ofMinutes(10))
      .setHeartbeatTimeout(LIVENESS)
      .setRetryOptions(RETRY_TRANSIENT)
      .build();

  // uploads of large releases over slow links
  private static final ActivityOptions UPLOAD_OPTIONS = ActivityOptions.newBuilder()
      .setTaskQueue(TaskQueues.UPLOAD)
      .setStartToCloseTimeout(Duration.ofHours(2))
      .setHeartbeatTimeout(LIVENESS)
      .setRetryOptions(RETRY_TRANSIENT)
      .build();

  private final Checklist checklist = new Checklist();
  private final Map<Stage, BlockedStage> blocked = new LinkedHashMap<>();
  private final Map<Stage, OperatorEvent> decisions = new HashMap<>();
  private final List<OperatorEvent> operatorEvents = new ArrayList<>();
  private ReleaseSpec spec;
  private String project;
  private String version;
  /** A dry run stages and verifies on the targets but publishes nothing. */
  private boolean dryRun;
  /** Set once the release has ended; until then the state follows from what is blocked or awaited. */
  private ReleaseState endState;
  private boolean awaitingApproval;
  private OperatorEvent approval;
  private OperatorEvent abort;
  private CancellationScope releaseScope;
  /** Set once the upload stage has started: its targets may hold files this run staged. */
  private UploadInput upload;
  /** Last value upserted per search attribute: every upsert is a history event, so only changes are sent. */
  private final Map<String, Object> searchAttributes = new HashMap<>();

  @Override
  public ReleaseResult run(ReleaseRequest request) {
    CheckoutInput checkoutInput = checkoutInput(request);
    version = checkoutInput.version();
    dryRun = request.dryRun();
    spec = request.spec();
    project = spec != null ? spec.project() : null;
    showProgress();
    ReleaseResult[] result = new ReleaseResult[1];
    // abort cancels this scope: running activities are cancelled and waits end
    releaseScope = Workflow.newCancellationScope(() -> result[0] = release(checkoutInput));
    try {
      releaseScope.run();
    } catch (CanceledFailure e) {
      if (abort == null) {
        end(ReleaseState.FAILED, "the release workflow was cancelled");
        throw e;
      }
      String leftStaged = discardStaging();
      end(ReleaseState.ABORTED, "aborted " + abort.by() + noteSuffix(abort) + leftStaged);
      throw ApplicationFailure.newNonRetryableFailure(
          "release aborted " + abort.by() + " at " + abort.stage() + noteSuffix(abort)
              + "; nothing was published" + leftStaged, "ReleaseAborted");
    }
    return result[0];
  }

  /**
   * An aborted release whose upload had begun takes back what it staged on the targets (it published nothing: abort
   * is refused while the upload runs). Returns what is left behind, for the end message, or "".
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
        Workflow.newActivityStub(UploadActivities.class, options(UPLOAD_OPTIONS, "remove the staged files"))
            .discardStaging(upload);
      } catch (ActivityFailure e) {
        log.warn("the staged files of this run could not be removed: {}", reason(e));
        left[0] = "; its staged files could not be removed from the targets (" + firstLine(reason(e)) + ")";
      }
    }).run();
    return left[0];
  }

  private ReleaseResult release(CheckoutInput checkoutInput) {
    Checkout checkout = stage(Stage.CHECKOUT, options(SOURCE_OPTIONS, "checkout " + checkoutInput.tag()),
        SourceActivities.class, a -> a.checkout(checkoutInput),
        c -> "tag " + c.tag() + " is commit " + c.commit().substring(0, 12));
    spec = checkout.spec();
    project = spec.project();
    if (!spec.hasTests()) {
      checklist.notConfigured(Stage.TEST_SOURCE);
    }
    if (!spec.hasDocs()) {
      checklist.notConfigured(Stage.BUILD_DOCS);
    }
    if (!spec.needsApproval()) {
      checklist.notConfigured(Stage.APPROVAL);
    }
    if (!spec.hasSigning()) {
      checklist.notConfigured(Stage.SIGN);
    }
    if (!spec.hasUploads()) {
      checklist.notConfigured(Stage.UPLOAD);
    }
    showProgress();

    Archives archives = stage(Stage.BUILD_SOURCE,
        options(SOURCE_OPTIONS, "buildSource " + String.join(", ", spec.source().formats())),
        SourceActivities.class, a -> a.buildSource(checkout),
        a -> a.archives().size() + " archive(s) of " + a.fileCount() + " files");

    // tests and docs run side by side on their own queues, both from the built archive
    List<Promise<CommandReport>> commands = new ArrayList<>();
    if (spec.hasTests()) {
      CommandSpec test = spec.test();
      commands.add(Async.function(() -> stage(Stage.TEST_SOURCE,
          commandOptions(TaskQueues.BUILD, test.timeout(), "testSource: " + test.command()),
          BuildActivities.class, a -> a.testSource(testInput(checkout, archives)), r -> "passed")));
    }
    if (spec.hasDocs()) {
      DocsSpec docs = spec.docs();
      commands.add(Async.function(() -> stage(Stage.BUILD_DOCS,
          commandOptions(TaskQueues.DOCS, docs.timeout(), "buildDocs: " + docs.command()),
          DocsActivities.class, a -> a.buildDocs(docsInput(checkout, archives)),
          r -> r.outputs().size() + " docs archive(s)")));
    }
    Promise.allOf(commands).get();

    List<ArtifactRef> artifacts = new ArrayList<>(archives.archives());
    List<ArtifactRef> logs = new ArrayList<>();
    for (Promise<CommandReport> command : commands) {
      CommandReport report = command.get();
      if (report != null) { // null: skipped by an operator
        artifacts.addAll(report.outputs());
        logs.add(report.log());
      }
    }

    List<ArtifactRef> described = List.copyOf(artifacts);
    Sboms sboms = stage(Stage.GENERATE_SBOM, options(SOURCE_OPTIONS, "generateSbom for " + described.size()
            + " archive(s)"),
        SourceActivities.class, a -> a.generateSbom(new SbomInput(checkout, described)),
        s -> s.sboms().size() + " SBOM(s)");
    artifacts.addAll(sboms.sboms());

    // a release every target already holds is done: nothing is approved, signed or published again
    PublishedRelease published = findPublished(List.copyOf(artifacts));
    if (published.complete()) {
      return alreadyPublished(checkout, published, logs);
    }
    // published in part (a run that died while publishing): what is made again must be what was published
    Checkout made = published.partly() ? checkout.resuming() : checkout;

    // approve before signing: nothing is signed or published that nobody approved
    if (spec.needsApproval()) {
      awaitApproval(spec.approval());
    }

    List<ArtifactRef> subjects = List.copyOf(artifacts);
    Provenance provenance = stage(Stage.PROVENANCE, options(SOURCE_OPTIONS, "provenance of " + subjects.size()
            + " file(s)"),
        SourceActivities.class, a -> a.provenance(new ProvenanceInput(made, subjects, checklist.snapshot(),
            List.copyOf(operatorEvents))),
        p -> "SLSA v1 statement over " + subjects.size() + " file(s)");
    artifacts.add(provenance.statement());

    if (spec.hasSigning()) {
      List<ArtifactRef> unsigned = List.copyOf(artifacts);
      Signatures signatures = stage(Stage.SIGN, options(SIGN_OPTIONS, "sign " + unsigned.size() + " file(s)"),
          SignActivities.class, a -> a.sign(new SignInput(spec.sign(), unsigned, made.resume())),
          s -> s.bundles().size() + " bundle(s), verified as " + s.identity());
      artifacts.addAll(signatures.bundles());
      if (signatures.trustedRoot() != null) {
        artifacts.add(signatures.trustedRoot());
      }
    }

    List<String> targets = targets();
    List<ArtifactRef> files = List.copyOf(artifacts);
    Manifest manifest = stage(Stage.WRITE_MANIFEST, options(SOURCE_OPTIONS, "writeManifest"),
        SourceActivities.class, a -> a.writeManifest(new ManifestInput(made, files, logs, checklist.snapshot(),
            targets, List.copyOf(operatorEvents))),
        m -> "release.json and SHA256SUMS");

    List<String> publishedTo = List.of();
    if (spec.hasUploads()) {
      List<ArtifactRef> publishOrder = new ArrayList<>(files);
      publishOrder.add(manifest.checksums());
      publishOrder.add(manifest.releaseJson());
      upload = new UploadInput(spec.upload(), publishOrder, dryRun);
      Publication publication = stage(Stage.UPLOAD,
          options(UPLOAD_OPTIONS, "upload " + publishOrder.size() + " files to " + targets.size() + " target(s)"),
          UploadActivities.class, a -> a.upload(upload),
          Publication::describe);
      publishedTo = publication.dryRun() ? List.of() : publication.targets();
    }

    end(ReleaseState.SUCCEEDED, (dryRun ? "dry run of " : "released ") + project + " " + version);
    log.info("{} {} {} from {}", dryRun ? "dry run of" : "released", project, version, checkout.tag());
    return new ReleaseResult(project, version, checkout.tag(), checkout.commit(), files, logs,
        manifest.releaseJson(), manifest.checksums(), publishedTo, checklist.snapshot(), List.copyOf(operatorEvents),
        false);
  }

  /**
   * What the targets already hold of this release (given its content files), asked before approval and signing. Not
   * asked by runs started before this check existed, nor without targets; when it cannot be answered, the upload
   * meets the same trouble and blocks with it.
   */
  private PublishedRelease findPublished(List<ArtifactRef> content) {
    if (!spec.hasUploads()
        || Workflow.getVersion("findPublished", Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return PublishedRelease.NONE;
    }
    try {
      return Workflow.newActivityStub(UploadActivities.class, options(UPLOAD_OPTIONS, "look for " + project + " "
          + version + " on " + spec.upload().size() + " target(s)"))
          .findPublished(new UploadInput(spec.upload(), content, dryRun));
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof CanceledFailure cancelled) {
        throw cancelled;
      }
      log.warn("cannot tell whether the targets already hold this release: {}", reason(e));
      return PublishedRelease.NONE;
    }
  }

  /** Ends a run whose release every target already holds: the published files are its result, nothing is made. */
  private ReleaseResult alreadyPublished(Checkout checkout, PublishedRelease published, List<ArtifactRef> logs) {
    String detail = "already published: release.json sha256:" + published.releaseJson().sha256().substring(0, 12)
        + " on " + spec.upload().size() + " target(s)";
    long now = Workflow.currentTimeMillis();
    for (Stage stage : List.of(Stage.APPROVAL, Stage.PROVENANCE, Stage.SIGN, Stage.WRITE_MANIFEST, Stage.UPLOAD)) {
      if (checklist.state(stage) != StageState.NOT_CONFIGURED) {
        checklist.published(stage, now, detail);
      }
    }
    end(ReleaseState.SUCCEEDED, project + " " + version + " " + detail);
    log.info("{} {} from {} is {}", project, version, checkout.tag(), detail);
    return new ReleaseResult(project, version, checkout.tag(), checkout.commit(), published.files(), logs,
        published.releaseJson(), published.checksums(), dryRun ? List.of() : targets(), checklist.snapshot(),
        List.copyOf(operatorEvents), true);
  }

  private List<String> targets() {
    return spec.upload().stream().map(UploadSpec::url).toList();
  }

  /**
   * Runs one stage's activity and records it on the checklist. A failure a retry cannot fix blocks the stage until an
   * operator sends retry (run it again), skip (returns null; only for stages the spec marks skippable) or abort.
   */
  private <A, T extends StageOutput> T stage(Stage stage, ActivityOptions options, Class<A> activities,
      Function<A, T> call, Function<T, String> describe) {
    A stub = Workflow.newActivityStub(activities, options);
    while (true) {
      checklist.start(stage, Workflow.currentTimeMillis());
      showProgress();
      try {
        T result = call.apply(stub);
        String detail = describe.apply(result) + (result.run().reused() ? " (reused from an earlier run)" : "");
        checklist.succeed(stage, Workflow.currentTimeMillis(), result.run(), detail);
        showProgress();
        return result;
      } catch (ActivityFailure e) {
        if (e.getCause() instanceof CanceledFailure cancelled) {
          checklist.cancel(stage, Workflow.currentTimeMillis());
          throw cancelled;
        }
        OperatorEvent decision = block(stage, reason(e), failureType(e));
        if (decision.action().equals("skip")) {
          checklist.skip(stage, Workflow.currentTimeMillis(), "skipped " + decision.by() + noteSuffix(decision));
          showProgress();
          return null;
        }
      }
    }
  }

  /** Marks the stage blocked and waits for an operator's retry or skip (abort cancels the wait). */
  private OperatorEvent block(Stage stage, String reason, String failureType) {
    log.warn("stage {} blocked: {}", stage.id(), reason);
    checklist.block(stage, Workflow.currentTimeMillis(), reason);
    blocked.put(stage, new BlockedStage(stage.id(), reason, skippable(stage), failureType));
    showProgress();
    try {
      Workflow.await(() -> decisions.containsKey(stage));
    } catch (CanceledFailure e) {
      checklist.fail(stage, Workflow.currentTimeMillis(), reason);
      throw e;
    }
    blocked.remove(stage);
    showProgress();
    return decisions.remove(stage);
  }

  /** Waits durably for an approve update, logging reminders; at the timeout the release blocks at the gate. */
  private void awaitApproval(ApprovalSpec gate) {
    Duration timeout = Durations.parse(gate.timeout());
    Duration reminder = Durations.parse(gate.reminder());
    while (true) {
      checklist.waitFor(Stage.APPROVAL, Workflow.currentTimeMillis());
      awaitingApproval = true;
      showProgress();
      long deadline = Workflow.currentTimeMillis() + timeout.toMillis();
      while (approval == null && Workflow.currentTimeMillis() < deadline) {
        long left = deadline - Workflow.currentTimeMillis();
        if (!Workflow.await(Duration.ofMillis(Math.min(left, reminder.toMillis())), () -> approval != null)
            && Workflow.currentTimeMillis() < deadline) {
          log.info("release {} {} is still waiting for approval (approve before {})", project, version,
              Instant.ofEpochMilli(deadline));
        }
      }
      awaitingApproval = false;
      if (approval != null) {
        checklist.approve(Stage.APPROVAL, Workflow.currentTimeMillis(), "approved " + approval.by()
            + noteSuffix(approval));
        showProgress();
        return;
      }
      // timed out: retry waits again, approve opens the gate, abort ends the release
      block(Stage.APPROVAL, "no approval within " + gate.timeout(), "ApprovalTimeout");
    }
  }

  @Override
  public ReleaseStatus status() {
    List<String> approvers = awaitingApproval || blocked.containsKey(Stage.APPROVAL)
        ? spec.approval().approvers() : List.of();
    return new ReleaseStatus(project, version, state(), checklist.current(), detail(), checklist.snapshot(),
        List.copyOf(blocked.values()), approvers, List.copyOf(operatorEvents));
  }

  @Override
  public void validateRetry(OperatorAction action) {
    blockedStage(action, "retry");
  }

  @Override
  public String retry(OperatorAction action) {
    Stage stage = blockedStage(action, "retry");
    decide(stage, "retry", action);
    return "retrying " + stage.id();
  }

  @Override
  public void validateSkip(OperatorAction action) {
    Stage stage = blockedStage(action, "skip");
    if (!blocked.get(stage).skippable()) {
      throw new IllegalArgumentException("skip of " + stage.id() + " is refused: " + whyNotSkippable(stage));
    }
  }

  @Override
  public String skip(OperatorAction action) {
    Stage stage = blockedStage(action, "skip");
    decide(stage, "skip", action);
    return "skipping " + stage.id();
  }

  @Override
  public void validateAbort(OperatorAction action) {
    requireOperator(action, "abort");
    if (endState != null) {
      throw new IllegalStateException("the release has already ended (" + endState.label() + ")");
    }
    if (checklist.state(Stage.UPLOAD) == StageState.RUNNING) {
      throw new IllegalStateException("upload is publishing; aborting now could leave a target half-published."
          + " Wait for it to finish or block");
    }
  }

  @Override
  public String abort(OperatorAction action) {
    String at = checklist.current() == null ? "start" : checklist.current();
    abort = record("abort", at, action);
    releaseScope.cancel();
    return "aborting at " + at;
  }

  @Override
  public void validateApprove(OperatorAction action) {
    requireOperator(action, "approve");
    if (!awaitingApproval && !blocked.containsKey(Stage.APPROVAL)) {
      throw new IllegalStateException("the release is not waiting for approval (it is " + state().label() + ")");
    }
    List<String> approvers = spec.approval().approvers();
    if (!approvers.isEmpty() && !approvers.contains(action.operator())) {
      throw new IllegalArgumentException(action.operator() + " may not approve this release; approvers: "
          + String.join(", ", approvers));
    }
  }

  @Override
  public String approve(OperatorAction action) {
    approval = record("approve", Stage.APPROVAL.id(), action);
    if (blocked.containsKey(Stage.APPROVAL)) {
      decisions.put(Stage.APPROVAL, approval);
    }
    return "approved by " + action.operator();
  }

  private Stage blockedStage(OperatorAction action, String verb) {
    requireOperator(action, verb);
    if (blocked.isEmpty()) {
      throw new IllegalStateException("nothing to " + verb + ": the release is " + state().label()
          + " and no stage is blocked");
    }
    if (action.stage() == null || action.stage().isBlank()) {
      if (blocked.size() > 1) {
        throw new IllegalArgumentException("several stages are blocked (" + blockedIds() + "); name one with stage");
      }
      return blocked.keySet().iterator().next();
    }
    Stage stage = Stage.byId(action.stage());
    if (stage == null || !blocked.containsKey(stage)) {
      throw new IllegalArgumentException(action.stage() + " is not blocked; blocked: " + blockedIds());
    }
    return stage;
  }

  private static void requireOperator(OperatorAction action, String verb) {
    if (action == null) {
      throw new IllegalArgumentException(verb + " needs {\"operator\": \"<who>\"}");
    }
    if (action.unknownFields() != null && !action.unknownFields().isEmpty()) {
      throw new IllegalArgumentException("unknown field(s) " + String.join(", ", action.unknownFields().keySet())
          + "; known: stage, operator, note");
    }
    if (action.operator() == null || action.operator().isBlank()) {
      throw new IllegalArgumentException(verb + " needs the operator's name (it is recorded with the release)");
    }
  }

  private void decide(Stage stage, String verb, OperatorAction action) {
    decisions.put(stage, record(verb, stage.id(), action));
  }

  private OperatorEvent record(String verb, String stage, OperatorAction action) {
    OperatorEvent event = new OperatorEvent(verb, stage, action.operator(), action.note(),
        Workflow.currentTimeMillis(), action.automatic());
    operatorEvents.add(event);
    log.info("{} {} {}{}", verb, stage, event.by(), noteSuffix(event));
    return event;
  }

  private boolean skippable(Stage stage) {
    return switch (stage) {
      case TEST_SOURCE -> spec.test().skippable();
      case BUILD_DOCS -> spec.docs().skippable();
      default -> false;
    };
  }

  private String whyNotSkippable(Stage stage) {
    return switch (stage) {
      case TEST_SOURCE, BUILD_DOCS -> "the spec does not mark it skippable (" + (stage == Stage.TEST_SOURCE
          ? "test" : "docs") + ".skippable: true)";
      case UPLOAD -> "a release that is not published is not a release; abort it instead";
      case APPROVAL -> "the approval gate is opened by approve, not skipped";
      default -> "later stages need what it makes";
    };
  }

  private String blockedIds() {
    return String.join(", ", blocked.keySet().stream().map(Stage::id).toList());
  }

  private void end(ReleaseState finalState, String line) {
    endState = finalState;
    for (Stage stage : blocked.keySet()) {
      checklist.fail(stage, Workflow.currentTimeMillis(), blocked.get(stage).reason()
          + (abort == null ? "" : "; aborted " + abort.by()));
    }
    showProgress();
    Workflow.setCurrentDetails(line);
  }

  private ReleaseState state() {
    if (endState != null) {
      return endState;
    }
    if (!blocked.isEmpty()) {
      return ReleaseState.BLOCKED;
    }
    return awaitingApproval ? ReleaseState.WAITING_FOR_APPROVAL : ReleaseState.RUNNING;
  }

  /** Keeps the search attributes and the UI's current-details line in step with the checklist. */
  private void showProgress() {
    String stage = checklist.current() == null ? "" : checklist.current();
    List<io.temporal.common.SearchAttributeUpdate<?>> updates = new ArrayList<>();
    updates.add(ReleaseSearchAttributes.STATUS.valueSet(state().label()));
    updates.add(ReleaseSearchAttributes.STAGE.valueSet(stage));
    if (version != null) {
      updates.add(ReleaseSearchAttributes.VERSION.valueSet(version));
    }
    if (project != null) {
      updates.add(ReleaseSearchAttributes.PROJECT.valueSet(project));
    }
    upsertChanged(updates);
    Workflow.setCurrentDetails(detail());
  }

  /** Upserts only what changed: every upsert is a history event. */
  private void upsertChanged(List<io.temporal.common.SearchAttributeUpdate<?>> updates) {
    List<io.temporal.common.SearchAttributeUpdate<?>> changed = new ArrayList<>();
    for (io.temporal.common.SearchAttributeUpdate<?> update : updates) {
      Object value = update.getValue().orElse(null);
      if (!java.util.Objects.equals(searchAttributes.put(update.getKey().getName(), value), value)) {
        changed.add(update);
      }
    }
    if (!changed.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(changed.toArray(io.temporal.common.SearchAttributeUpdate[]::new));
    }
  }

  private String detail() {
    String name = (project == null ? "" : project + " ") + (version == null ? "" : version);
    return switch (state()) {
      case WAITING_FOR_APPROVAL -> name + ": waiting for approval before upload";
      case BLOCKED -> name + ": blocked at " + blockedIds() + ": "
          + firstLine(blocked.values().iterator().next().reason()) + " (retry, skip or abort)";
      case RUNNING -> name + ": " + (checklist.current() == null ? "starting" : checklist.current() + " running");
      default -> name + ": " + state().label().toLowerCase(java.util.Locale.ROOT);
    };
  }

  private static String firstLine(String text) {
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private static String noteSuffix(OperatorEvent event) {
    return event.note() == null || event.note().isBlank() ? "" : " (" + event.note() + ")";
  }

  /** The failure's type ({@link Failures}), or its kind when it is not an application failure (e.g. a timeout). */
  private static String failureType(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    return cause instanceof ApplicationFailure application ? application.getType()
        : cause == null ? "" : cause.getClass().getSimpleName();
  }

  private static String reason(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof TemporalFailure temporal) {
      return temporal.getOriginalMessage();
    }
    return cause == null ? failure.getMessage() : cause.toString();
  }

  private static CheckoutInput checkoutInput(ReleaseRequest request) {
    if (request.unknownFields() != null && !request.unknownFields().isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "unknown field(s) in the workflow input: " + String.join(", ", request.unknownFields().keySet())
              + "; known fields: repository, version, tag, expectedCommit, spec, resume, dryRun",
          Failures.INVALID_SPEC);
    }
    ReleaseSpec spec = request.spec();
    String repository = firstNonBlank(request.repository(), spec == null ? null : spec.repository());
    String version = firstNonBlank(request.version(), spec == null ? null : spec.version());
    if (repository == null || version == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the workflow input needs \"repository\" and \"version\" (or a \"spec\" that has them), e.g. "
              + "{\"repository\": \"https://git.example.org/hello.git\", \"version\": \"2.1.0\"}",
          Failures.INVALID_SPEC);
    }
    String tag = firstNonBlank(request.tag(), spec == null ? null : spec.tag());
    String expectedCommit = firstNonBlank(request.expectedCommit(), spec == null ? null : spec.expectedCommit());
    return new CheckoutInput(repository, version, tag == null ? "v" + version : tag, expectedCommit, spec,
        request.resume());
  }

  private static CommandInput testInput(Checkout checkout, Archives archives) {
    CommandSpec test = checkout.spec().test();
    return new CommandInput(Stage.TEST_SOURCE.id(), archives.primary(), checkout.spec().source().name(),
        test.command(), test.timeout(), test.env(), List.of(), List.of(), null, checkout.commitTime(),
        checkout.resume(), test.limits());
  }

  private static CommandInput docsInput(Checkout checkout, Archives archives) {
    DocsSpec docs = checkout.spec().docs();
    String name = checkout.spec().source().name();
    return new CommandInput(Stage.BUILD_DOCS.id(), archives.primary(), name, docs.command(), docs.timeout(),
        docs.env(), docs.outputs(), docs.formats(), name + "-docs", checkout.commitTime(), checkout.resume(),
        docs.limits());
  }

  /** The stage's options with a summary, so that the Temporal UI's timeline reads as the checklist. */
  private static ActivityOptions options(ActivityOptions base, String summary) {
    return ActivityOptions.newBuilder(base).setSummary(summary).build();
  }

  // command timeouts come from the spec
  private static ActivityOptions commandOptions(String queue, String timeout, String summary) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(Durations.parse(timeout).plus(COMMAND_OVERHEAD))
        .setHeartbeatTimeout(COMMAND_HEARTBEAT_TIMEOUT)
        .setRetryOptions(RETRY_COMMAND)
        .setSummary(summary)
        .build();
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b == null || b.isBlank() ? null : b;
  }
}
