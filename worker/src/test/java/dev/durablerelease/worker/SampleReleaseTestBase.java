package dev.durablerelease.worker;

import dev.durablerelease.activities.WorkerContext;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.testing.TestPolicies;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every release test on Temporal's in-memory server starts from: the server with the release search attributes,
 * one worker host with a local store under {@code tmp}, and a fresh copy of the sample repository.
 */
abstract class SampleReleaseTestBase {
  @TempDir
  Path tmp;

  TestWorkflowEnvironment env;
  WorkerContext context;
  SampleRepository repo;

  @BeforeEach
  void createServerWorkerAndRepository() throws Exception {
    env = ReleaseTestEnvironment.create();
    context = Releases.localWorker(tmp, "test-worker");
    repo = SampleRepository.create(tmp.resolve("hello"));
  }

  @AfterEach
  void closeServerAndRepository() {
    env.close();
    repo.close();
  }

  /** The workers started next read this operator policy (YAML), instead of the built-in dev policy. */
  void usePolicy(String yaml) {
    context = context.withPolicy(TestPolicies.of(yaml));
  }

  /** Registers the real activities of every queue and starts the workers. */
  void startWorkers() {
    ReleaseWorkers.register(env.getWorkerFactory(), context, ReleaseWorkers.ALL_QUEUES);
    env.start();
  }
}
