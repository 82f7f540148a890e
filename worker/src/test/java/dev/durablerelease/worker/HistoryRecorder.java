package dev.durablerelease.worker;

import dev.durablerelease.activities.SourceActivitiesImpl;
import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.archive.ArchiveEntry;
import dev.durablerelease.archive.ArchiveWriter;
import dev.durablerelease.archive.Archiver;
import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.testing.Approvers.Approver;
import dev.durablerelease.testing.Approvers;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.TestPolicies;
import dev.durablerelease.workflow.OperatorAction;
import dev.durablerelease.workflow.ReleaseRequest;
import dev.durablerelease.workflow.ReleaseState;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Records the event histories that {@link ReplayTest} replays. The files it writes stand for releases already running
 * when the workflow changes: run it after a deliberate workflow change (guarded by {@code Workflow.getVersion}) to add
 * histories of the new shape, naming only those; never re-record the old ones. The oldest five (succeeded,
 * blocked-then-retried, skipped, aborted, aborted-at-upload) were recorded by engines before operator policies,
 * whose spec carried signing, approvals and targets; the recordings below are of releases under a policy, the last
 * two of releases whose policy wants two builders (the twoBuilders change).
 *
 * <pre>mvn -q -pl worker -am test-compile && java \
 *   -cp "worker/target/test-classes:worker/target/classes:$(cat worker/target/test-classpath.txt)" \
 *   dev.durablerelease.worker.HistoryRecorder worker/src/test/resources/histories [NAME,...]</pre>
 */
public final class HistoryRecorder {
  private HistoryRecorder() {}

  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "worker/src/test/resources/histories");
    wanted = args.length > 1 ? Set.of(args[1].split(",")) : null;
    Files.createDirectories(out);
    Path tmp = Files.createTempDirectory("durable-release-histories");
    String base = Files.readString(SampleRepository.projectFolder().resolve("release.yaml"));
    erin = Approvers.create(tmp.resolve("keys"), "erin");
    String policy = """
        projects:
          hello:
            repositories: ["**"]
            signing: {mode: dev}
            approval: {approvals: 1, approvers: [erin], signedSkips: true}
          other: {repositories: ["**"]}
        approvers:
          erin: %s
        targets:
          published: {url: "%s", projects: [hello]}
          attic: {url: "%s", projects: [other]}
          unusable: {url: "%s/releases/", projects: [hello]}
        """.formatted(erin.publicKey(), tmp.resolve("published").toUri(), tmp.resolve("attic").toUri(),
        Files.writeString(tmp.resolve("not-a-folder"), "").toUri());

    record(out, tmp, "policy-approved", policy, base + "upload: [published]\n", "1.0.0", workflow -> {
      await(workflow, ReleaseState.WAITING_FOR_APPROVAL);
      String statement = workflow.status().approval().statement();
      workflow.approve(new OperatorAction(null, "erin", "artifacts checked", erin.sign(statement)));
    });
    record(out, tmp, "policy-refused-then-aborted", policy, base + "upload: [attic]\n", "1.0.0", workflow -> {
      await(workflow, ReleaseState.BLOCKED);
      workflow.abort(new OperatorAction(null, "carol", "asked for a target of another project"));
    });
    record(out, tmp, "policy-skip-signed", policy, "project: hello\nversion: 1.0.0\n"
        + "docs: {command: \"exit 4\", outputs: [docs/_build/html], skippable: true}\n", "1.0.0", workflow -> {
          await(workflow, ReleaseState.BLOCKED);
          String statement = workflow.status().blocked().get(0).skipStatement();
          workflow.skip(new OperatorAction("buildDocs", "bob", "docs host down", erin.sign(statement)));
          await(workflow, ReleaseState.WAITING_FOR_APPROVAL);
          workflow.approve(new OperatorAction(null, "erin", null, erin.sign(workflow.status().approval()
              .statement())));
        });
    // an alpha under the CPython preset: docs and the approval (for finals only) are skipped as a pre-release
    String versionsPolicy = policy.replace("approval: {approvals: 1, approvers: [erin], signedSkips: true}",
        "approval: {approvals: 1, approvers: [erin], when: [final]}\n    versions: {scheme: pep440}");
    record(out, tmp, "versions-prerelease-gated", versionsPolicy, base + "preset: cpython\n"
        + "upload: [{target: published, path: \"{normalizedVersion}/\"}]\n", "1.1.0a1", workflow -> { });
    String twoBuilders = policy.replace("signedSkips: true}\n",
        "signedSkips: true}\n    reproducibility: {builders: 2}\n");
    record(out, tmp, "two-builders-agreed", twoBuilders, base + "upload: [published]\n", "1.0.0", null,
        workflow -> {
          await(workflow, ReleaseState.WAITING_FOR_APPROVAL);
          workflow.approve(new OperatorAction(null, "erin", null, erin.sign(workflow.status().approval()
              .statement())));
        });
    // the second builder writes the Makefile executable, as a compromised builder might
    Archiver otherMode = (entries, mtime, outputs) -> ArchiveWriter.write(entries.stream()
        .map(e -> e.path().endsWith("/Makefile") ? new ArchiveEntry(e.path(), ArchiveEntry.Type.EXECUTABLE, e.size(),
            null, e.content()) : e).toList(), mtime, outputs);
    record(out, tmp, "two-builders-disagreed-then-aborted", twoBuilders, base + "upload: [published]\n", "1.0.0",
        otherMode, workflow -> {
          await(workflow, ReleaseState.BLOCKED);
          workflow.abort(new OperatorAction(null, "carol", "the second builder is compromised"));
        });
    // since findPublished: a release run again after it was published approves, signs and uploads nothing
    record(out, tmp, "policy-published-again", policy, base + "upload: [published]\n", "1.0.0", workflow -> { });
    // since automatic decisions: release run with no terminal aborts a blocked upload on its own, and says so
    record(out, tmp, "policy-aborted-automatically", policy, base + "upload: [unusable]\n", "1.0.0", workflow -> {
      await(workflow, ReleaseState.WAITING_FOR_APPROVAL);
      workflow.approve(new OperatorAction(null, "erin", null, erin.sign(workflow.status().approval().statement())));
      await(workflow, ReleaseState.BLOCKED);
      workflow.abort(OperatorAction.automatic("upload", "dave", "no terminal to ask what to do"));
    });
    System.out.println("histories written to " + out);
    System.exit(0);
  }

  private static SampleRepository repo;
  private static Approver erin;
  /** The histories to record; null for all. */
  private static Set<String> wanted;

  private static void record(Path out, Path tmp, String name, String policy, String yaml, String version,
      Consumer<ReleaseWorkflow> operator) throws Exception {
    record(out, tmp, name, policy, yaml, version, null, operator);
  }

  /** @param secondBuilder how the second builder writes archives; null for as every builder does */
  private static void record(Path out, Path tmp, String name, String policy, String yaml, String version,
      Archiver secondBuilder, Consumer<ReleaseWorkflow> operator) throws Exception {
    if (wanted != null && !wanted.contains(name)) {
      return;
    }
    Path dir = tmp.resolve(name);
    repo = SampleRepository.create(dir.resolve("hello"));
    if (!version.equals("1.0.0")) {
      repo.tag("v" + version);
    }
    try (TestWorkflowEnvironment env = ReleaseTestEnvironment.create()) {
      WorkerContext context = Releases.localWorker(dir, "history-recorder").withPolicy(TestPolicies.of(policy));
      if (secondBuilder == null) {
        ReleaseWorkers.register(env.getWorkerFactory(), context, ReleaseWorkers.ALL_QUEUES);
      } else {
        ReleaseWorkers.register(env.getWorkerFactory(), context, ReleaseWorkers.ALL_QUEUES.stream()
            .filter(queue -> !queue.equals(TaskQueues.SOURCE_2)).toList());
        env.getWorkerFactory().newWorker(TaskQueues.SOURCE_2)
            .registerActivitiesImplementations(new SourceActivitiesImpl(context, secondBuilder));
      }
      env.start();
      String id = "release-hello-" + name;
      ReleaseRequest request = ReleaseRequest.of(SpecLoader.load(yaml, "release.yaml",
          new SpecLoader.Overrides(repo.url(), version)));
      if (name.endsWith("published-again")) {
        // published first by a run approved like any other; the recorded run finds it published
        ReleaseWorkflow before = env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(id + "-before").build());
        WorkflowClient.start(before::run, request);
        await(before, ReleaseState.WAITING_FOR_APPROVAL);
        before.approve(new OperatorAction(null, "erin", null, erin.sign(before.status().approval()
            .statement())));
        WorkflowStub.fromTyped(before).getResult(Object.class);
      }
      ReleaseWorkflow workflow = env.getWorkflowClient().newWorkflowStub(ReleaseWorkflow.class,
          WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.WORKFLOWS).setWorkflowId(id).build());
      WorkflowClient.start(workflow::run, request);
      operator.accept(workflow);
      try {
        WorkflowStub.fromTyped(workflow).getResult(Object.class);
      } catch (RuntimeException e) {
        // the aborted release ends in failure; its history is what we want
      }
      Files.writeString(out.resolve(name + ".json"), env.getWorkflowClient().fetchHistory(id).toJson(true),
          StandardCharsets.UTF_8);
    } finally {
      repo.close();
    }
  }

  private static void await(ReleaseWorkflow workflow, ReleaseState state) {
    try {
      while (workflow.status().state() != state) {
        Thread.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
