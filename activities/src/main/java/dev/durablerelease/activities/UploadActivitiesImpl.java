package dev.durablerelease.activities;

import dev.durablerelease.activity.Publication;
import dev.durablerelease.activity.UploadActivities;
import dev.durablerelease.activity.UploadInput;
import dev.durablerelease.publish.FileTarget;
import dev.durablerelease.spec.UploadSpec;
import io.temporal.activity.Activity;
import java.util.ArrayList;
import java.util.List;

/** Publication on the {@code release-upload} queue. */
public class UploadActivitiesImpl implements UploadActivities {
  private final WorkerContext context;

  public UploadActivitiesImpl(WorkerContext context) {
    this.context = context;
  }

  @Override
  public Publication upload(UploadInput input) {
    return StageActivity.run(context, stage -> {
      String runId = Activity.getExecutionContext().getInfo().getRunId();
      int written = 0;
      List<String> targets = new ArrayList<>();
      for (UploadSpec target : input.targets()) {
        written += new FileTarget(target.url()).publish(context.store(), input.files(), runId);
        targets.add(target.url());
      }
      return new Publication(targets, written, stage.finished());
    });
  }
}
