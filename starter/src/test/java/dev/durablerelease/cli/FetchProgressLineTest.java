package dev.durablerelease.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.durablerelease.activity.CommandProgress;
import dev.durablerelease.activity.FetchProgress;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A long fetch's heartbeat as `status` and `release run` show it: one line with objects and bytes received. */
class FetchProgressLineTest {
  /** A heartbeat's details as the server hands them to `status`: through Temporal's default converter. */
  private static JsonNode details(Object heartbeat) {
    var payloads = DefaultDataConverter.STANDARD_INSTANCE.toPayloads(heartbeat).orElseThrow();
    return DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(0, Optional.of(payloads), JsonNode.class,
        JsonNode.class);
  }

  private static StatusView.Running running(String stage, Object heartbeat) {
    JsonNode json = details(heartbeat);
    return new StatusView.Running(stage, 1, StatusView.describe(json), json.has("receivedBytes"), null);
  }

  @Test
  void fetchHeartbeatReadsAsObjectsAndBytesReceived() {
    FetchProgress receiving = new FetchProgress("git://git.example.org/curl.git", "Receiving objects", 450, 1000,
        450, 3 * 1024 * 1024 / 2);
    assertThat(StatusView.describe(details(receiving))).isEqualTo("fetching git://git.example.org/curl.git:"
        + " Receiving objects 45% (450/1,000), received 450 objects, 1.5 MiB");
    FetchProgress counting = new FetchProgress("/srv/git/curl", "remote: Counting objects", 12345, 0, 0, 0);
    assertThat(StatusView.describe(details(counting)))
        .isEqualTo("fetching /srv/git/curl: remote: Counting objects 12,345, received 0 objects, 0.0 MiB");
  }

  @Test
  void releaseRunPrintsAFetchLineEachTimeItsProgressChangesAndNoCommandOutput() {
    StringWriter text = new StringWriter();
    ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), true);
    StatusView.Running first = running("checkout", new FetchProgress("git://h/r", "Receiving objects", 1, 4, 1, 10));
    StatusView.Running later = running("checkout", new FetchProgress("git://h/r", "Receiving objects", 3, 4, 3, 30));
    StatusView.Running tests = running("testSource", new CommandProgress(5000, "ok 1 - hello", 12));

    printer.progress(List.of(first, tests));
    printer.progress(List.of(first, tests)); // the same heartbeat, polled again
    printer.progress(List.of(later));

    assertThat(text.toString().lines()).containsExactly(
        "            checkout                fetching git://h/r: Receiving objects 25% (1/4), received 1"
            + " objects, 0.0 MiB",
        "            checkout                fetching git://h/r: Receiving objects 75% (3/4), received 3"
            + " objects, 0.0 MiB");
  }
}
