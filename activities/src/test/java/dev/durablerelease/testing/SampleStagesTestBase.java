package dev.durablerelease.testing;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** What stage tests start from: a fresh copy of the sample repository and a harness running the stages' activities. */
public abstract class SampleStagesTestBase {
  @TempDir
  protected Path tmp;

  protected SampleRepository repo;
  protected StageHarness stages;

  @BeforeEach
  protected void createRepositoryAndHarness() {
    repo = SampleRepository.create(tmp.resolve("hello"));
    stages = new StageHarness(tmp.resolve("worker"));
  }

  @AfterEach
  protected void closeHarnessAndRepository() {
    stages.close();
    repo.close();
  }
}
