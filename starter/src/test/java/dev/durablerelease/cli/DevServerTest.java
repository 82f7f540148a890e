package dev.durablerelease.cli;

import static dev.durablerelease.worker.Releases.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.durablerelease.worker.DevServer;
import dev.durablerelease.worker.TemporalConnection;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dev server of a store folder: shared by its users, stopped by the last, never mistaken for another process. */
class DevServerTest {
  @TempDir
  Path tmp;

  @Test
  void usersOfOneFolderShareOneServerAndTheLastToLeaveStopsIt() throws Exception {
    Path folder = tmp.resolve("store/temporal");
    DevServer first = DevServer.open(RequiredTools.temporal(), folder, 0, 0);
    long pid = first.pid();
    try (DevServer second = DevServer.open(RequiredTools.temporal(), folder, 0, 0)) {
      assertThat(second.pid()).isEqualTo(pid);
      assertThat(second.target()).isEqualTo(first.target());
      first.close();
      assertThat(answers(second.target())).as("still up for the other user").isTrue();
    }
    await("the server to stop with its last user", () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)
        || ProcessHandle.of(pid).flatMap(p -> p.info().arguments()).isEmpty());
    assertThat(folder.resolve("dev-server.json")).doesNotExist();
    assertThat(folder.resolve("temporal.sqlite")).isNotEmptyFile();
  }

  @Test
  void aRecordedServerThatIsNotRunningIsReplacedOnTheSameSqliteFile() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("store/temporal"));
    // what a crash can leave: the pid of a process that is not that server now (here, this JVM) and a stale port
    Files.writeString(folder.resolve("dev-server.json"), "{\"pid\": " + ProcessHandle.current().pid()
        + ", \"port\": 1, \"uiPort\": 2, \"database\": \"" + folder.resolve("temporal.sqlite") + "\"}");
    try (DevServer server = DevServer.open(RequiredTools.temporal(), folder, 0, 0)) {
      assertThat(server.pid()).isNotEqualTo(ProcessHandle.current().pid());
      assertThat(server.target()).isNotEqualTo("127.0.0.1:1");
      assertThat(answers(server.target())).isTrue();
      assertThat(Files.readString(folder.resolve("dev-server.json"))).contains("\"pid\":" + server.pid());
    }
  }

  private static boolean answers(String target) throws Exception {
    WorkflowServiceStubs stubs = TemporalConnection.embedded(target).connect();
    try {
      return !stubs.blockingStub().getSystemInfo(GetSystemInfoRequest.getDefaultInstance()).getServerVersion()
          .isEmpty();
    } finally {
      stubs.shutdown();
    }
  }
}
