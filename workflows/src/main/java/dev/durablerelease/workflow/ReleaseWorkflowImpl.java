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
import dev.durablerelease.activity.SbomInput;
import dev.durablerelease.activity.Sboms;
import dev.durablerelease.activity.SignActivities;
import dev.durablerelease.activity.SignInput;
import dev.durablerelease.activity.Signatures;
import dev.durablerelease.activity.SourceActivities;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.activity.UploadActivities;
import dev.durablerelease.activity.UploadInput;
import dev.durablerelease.spec.CommandSpec;
import dev.durablerelease.spec.DocsSpec;
import dev.durablerelease.spec.Durations;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.spec.UploadSpec;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;

/** The release checklist as a workflow: each stage one activity on the task queue of its trust domain. */
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

  /** Heartbeats from command stages let a dead worker's attempt move to another worker within a minute. */
  private static final Duration COMMAND_HEARTBEAT_TIMEOUT = Duration.ofMinutes(1);

  /** Time beyond the command's own limit for unpacking the archive and storing the outputs. */
  private static final Duration COMMAND_OVERHEAD = Duration.ofMinutes(10);

  // fetching and archiving a large repository takes minutes, not hours
  private final SourceActivities source = Workflow.newActivityStub(SourceActivities.class,
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.SOURCE)
          .setStartToCloseTimeout(Duration.ofMinutes(30))
          .setRetryOptions(RETRY_TRANSIENT)
          .build());

  // signing is a few calls to Sigstore's services per release; their outages retry with backoff
  private final SignActivities sign = Workflow.newActivityStub(SignActivities.class,
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.SIGN)
          .setStartToCloseTimeout(Duration.ofMinutes(10))
          .setRetryOptions(RETRY_TRANSIENT)
          .build());

  // uploads of large releases over slow links
  private final UploadActivities upload = Workflow.newActivityStub(UploadActivities.class,
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.UPLOAD)
          .setStartToCloseTimeout(Duration.ofHours(2))
          .setRetryOptions(RETRY_TRANSIENT)
          .build());

  private final Checklist checklist = new Checklist();
  private String project;
  private String version;
  private ReleaseState state = ReleaseState.RUNNING;

  @Override
  public ReleaseResult run(ReleaseRequest request) {
    CheckoutInput checkoutInput = checkoutInput(request);
    version = checkoutInput.version();

    Checkout checkout = stage(Stage.CHECKOUT, () -> source.checkout(checkoutInput),
        c -> "tag " + c.tag() + " is commit " + c.commit().substring(0, 12));
    ReleaseSpec spec = checkout.spec();
    project = spec.project();
    if (!spec.hasTests()) {
      checklist.notConfigured(Stage.TEST_SOURCE);
    }
    if (!spec.hasDocs()) {
      checklist.notConfigured(Stage.BUILD_DOCS);
    }
    if (!spec.hasSigning()) {
      checklist.notConfigured(Stage.SIGN);
    }
    if (!spec.hasUploads()) {
      checklist.notConfigured(Stage.UPLOAD);
    }

    Archives archives = stage(Stage.BUILD_SOURCE, () -> source.buildSource(checkout),
        a -> a.archives().size() + " archive(s) of " + a.fileCount() + " files");

    // tests and docs run side by side on their own queues, both from the built archive;
    // the first failure cancels the other
    List<Promise<CommandReport>> commands = new ArrayList<>();
    CancellationScope commandScope = Workflow.newCancellationScope(() -> {
      if (spec.hasTests()) {
        commands.add(Async.function(() -> stage(Stage.TEST_SOURCE,
            () -> buildActivities(spec.test()).testSource(testInput(checkout, archives)), r -> "passed")));
      }
      if (spec.hasDocs()) {
        commands.add(Async.function(() -> stage(Stage.BUILD_DOCS,
            () -> docsActivities(spec.docs()).buildDocs(docsInput(checkout, archives)),
            r -> r.outputs().size() + " docs archive(s)")));
      }
    });
    commandScope.run();
    try {
      Promise.allOf(commands).get();
    } catch (RuntimeException e) {
      commandScope.cancel();
      throw e;
    }

    List<ArtifactRef> artifacts = new ArrayList<>(archives.archives());
    List<ArtifactRef> logs = new ArrayList<>();
    for (Promise<CommandReport> command : commands) {
      artifacts.addAll(command.get().outputs());
      logs.add(command.get().log());
    }

    List<ArtifactRef> described = List.copyOf(artifacts);
    Sboms sboms = stage(Stage.GENERATE_SBOM, () -> source.generateSbom(new SbomInput(checkout, described)),
        s -> s.sboms().size() + " SBOM(s)");
    artifacts.addAll(sboms.sboms());

    Provenance provenance = stage(Stage.PROVENANCE,
        () -> source.provenance(new ProvenanceInput(checkout, List.copyOf(artifacts), checklist.snapshot())),
        p -> "SLSA v1 statement over " + artifacts.size() + " file(s)");
    artifacts.add(provenance.statement());

    if (spec.hasSigning()) {
      List<ArtifactRef> unsigned = List.copyOf(artifacts);
      Signatures signatures = stage(Stage.SIGN, () -> sign.sign(new SignInput(spec.sign(), unsigned)),
          s -> s.bundles().size() + " bundle(s), verified as " + s.identity());
      artifacts.addAll(signatures.bundles());
      if (signatures.trustedRoot() != null) {
        artifacts.add(signatures.trustedRoot());
      }
    }

    List<String> targets = spec.upload().stream().map(UploadSpec::url).toList();
    List<ArtifactRef> files = List.copyOf(artifacts);
    Manifest manifest = stage(Stage.WRITE_MANIFEST,
        () -> source.writeManifest(new ManifestInput(checkout, files, logs, checklist.snapshot(), targets)),
        m -> "release.json and SHA256SUMS");

    List<String> published = List.of();
    if (spec.hasUploads()) {
      List<ArtifactRef> publishOrder = new ArrayList<>(files);
      publishOrder.add(manifest.checksums());
      publishOrder.add(manifest.releaseJson());
      Publication publication = stage(Stage.UPLOAD,
          () -> upload.upload(new UploadInput(spec.upload(), publishOrder)),
          p -> p.filesWritten() + " file(s) written to " + p.targets().size() + " target(s)");
      published = publication.targets();
    }

    state = ReleaseState.SUCCEEDED;
    log.info("released {} {} from {}", project, version, checkout.tag());
    return new ReleaseResult(project, version, checkout.tag(), checkout.commit(), files, logs,
        manifest.releaseJson(), manifest.checksums(), published, checklist.snapshot());
  }

  @Override
  public ReleaseStatus status() {
    return new ReleaseStatus(project, version, state, checklist.current(), checklist.snapshot());
  }

  /** Runs one stage's activity and records it on the checklist; a failure ends the release naming the stage. */
  private <T extends StageOutput> T stage(Stage stage, Functions.Func<T> activity, Function<T, String> describe) {
    checklist.start(stage, Workflow.currentTimeMillis());
    log.info("stage {} started", stage.id());
    try {
      T result = activity.apply();
      String detail = describe.apply(result);
      checklist.succeed(stage, Workflow.currentTimeMillis(), result.run(), detail);
      log.info("stage {} succeeded: {}", stage.id(), detail);
      return result;
    } catch (ActivityFailure e) {
      String reason = reason(e);
      checklist.fail(stage, Workflow.currentTimeMillis(), reason);
      state = ReleaseState.FAILED;
      log.warn("stage {} failed: {}", stage.id(), reason);
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          stage.id() + " failed: " + reason, "StageFailed", e);
    }
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
              + "; known fields: repository, version, tag, expectedCommit, spec",
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
    return new CheckoutInput(repository, version, tag == null ? "v" + version : tag, expectedCommit, spec);
  }

  private static CommandInput testInput(Checkout checkout, Archives archives) {
    CommandSpec test = checkout.spec().test();
    return new CommandInput(Stage.TEST_SOURCE.id(), archives.primary(), checkout.spec().source().name(),
        test.command(), test.timeout(), test.env(), List.of(), List.of(), null, checkout.commitTime());
  }

  private static CommandInput docsInput(Checkout checkout, Archives archives) {
    DocsSpec docs = checkout.spec().docs();
    String name = checkout.spec().source().name();
    return new CommandInput(Stage.BUILD_DOCS.id(), archives.primary(), name, docs.command(), docs.timeout(),
        docs.env(), docs.outputs(), docs.formats(), name + "-docs", checkout.commitTime());
  }

  // command stubs are made per release because their timeouts come from the spec
  private static BuildActivities buildActivities(CommandSpec test) {
    return Workflow.newActivityStub(BuildActivities.class, commandOptions(TaskQueues.BUILD, test.timeout()));
  }

  private static DocsActivities docsActivities(DocsSpec docs) {
    return Workflow.newActivityStub(DocsActivities.class, commandOptions(TaskQueues.DOCS, docs.timeout()));
  }

  private static ActivityOptions commandOptions(String queue, String timeout) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(queue)
        .setStartToCloseTimeout(Durations.parse(timeout).plus(COMMAND_OVERHEAD))
        .setHeartbeatTimeout(COMMAND_HEARTBEAT_TIMEOUT)
        .setRetryOptions(RETRY_COMMAND)
        .build();
  }

  private static String firstNonBlank(String a, String b) {
    if (a != null && !a.isBlank()) {
      return a;
    }
    return b == null || b.isBlank() ? null : b;
  }
}
