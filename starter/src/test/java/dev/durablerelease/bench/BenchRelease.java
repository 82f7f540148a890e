package dev.durablerelease.bench;

import dev.durablerelease.config.SpecLoader;
import dev.durablerelease.contract.StageStatus;
import dev.durablerelease.spec.ReleaseSpec;
import dev.durablerelease.testing.SampleRepository;
import dev.durablerelease.workflow.ReleaseResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What both benchmarks release: the hello sample with commands that do nothing, so that only the engine costs. */
final class BenchRelease {
  /** Stages that run side by side: only the longer one is on the critical path. */
  static final Set<String> PARALLEL = Set.of("testSource", "buildDocs");

  private BenchRelease() {}

  /** The target every bench release asks for; its workers' policy puts it in a folder. */
  static final String TARGET = "published";

  /** A release published to its own folder under the target's root. */
  static ReleaseSpec spec(SampleRepository repo, String version, String folder) throws Exception {
    return SpecLoader.load("""
        project: hello
        version: %s
        test: {command: "true"}
        docs: {command: "mkdir -p site && true", outputs: [site]}
        upload: [{target: %s, path: "%s/"}]
        """.formatted(version, TARGET, folder), "bench.yaml", new SpecLoader.Overrides(repo.url(), null));
  }

  /** Time inside activities along the critical path: sequential stages add up, parallel ones count once (longest). */
  static long activityMillis(ReleaseResult result) {
    long sequential = 0;
    long parallel = 0;
    for (StageStatus stage : result.stages()) {
      if (PARALLEL.contains(stage.stage())) {
        parallel = Math.max(parallel, stage.activityMillis());
      } else {
        sequential += stage.activityMillis();
      }
    }
    return sequential + parallel;
  }

  /** Schedule-to-start latency of each activity, by activity type, from the event history. */
  static Map<String, Long> dispatchMillis(List<HistoryEvent> events) {
    Map<Long, HistoryEvent> scheduled = new HashMap<>();
    Map<String, Long> latency = new HashMap<>();
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        scheduled.put(e.getEventId(), e);
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        HistoryEvent s = scheduled.get(e.getActivityTaskStartedEventAttributes().getScheduledEventId());
        latency.put(s.getActivityTaskScheduledEventAttributes().getActivityType().getName(),
            millis(e) - millis(s));
      }
    }
    return latency;
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static long millis(HistoryEvent e) {
    return e.getEventTime().getSeconds() * 1000 + e.getEventTime().getNanos() / 1_000_000;
  }
}
