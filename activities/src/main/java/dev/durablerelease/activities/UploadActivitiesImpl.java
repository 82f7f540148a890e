package dev.durablerelease.activities;

import dev.durablerelease.activity.GrantRequest;
import dev.durablerelease.activity.Publication;
import dev.durablerelease.activity.PublishedRelease;
import dev.durablerelease.activity.TargetGrant;
import dev.durablerelease.activity.UploadActivities;
import dev.durablerelease.activity.UploadInput;
import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.publish.PublishLedger;
import dev.durablerelease.publish.PublishTarget;
import dev.durablerelease.publish.Publisher;
import dev.durablerelease.publish.ReleaseTargets;
import dev.durablerelease.publish.Targets;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Publication on the {@code release-upload} queue. */
public class UploadActivitiesImpl implements UploadActivities {
  private static final Logger log = LoggerFactory.getLogger(UploadActivitiesImpl.class);

  private final WorkerContext context;
  private final Map<String, String> env;

  public UploadActivitiesImpl(WorkerContext context) {
    this(context, System.getenv());
  }

  /** @param env the environment {@code env:} references in the policy are read from */
  public UploadActivitiesImpl(WorkerContext context, Map<String, String> env) {
    this.context = context;
    this.env = env;
  }

  @Override
  public TargetGrant grantTargets(GrantRequest request) {
    return StageActivity.run(context, stage -> {
      List<TargetPolicy> targets =
          ReleaseTargets.resolve(context.policy(), request.project(), request.version(), request.targets());
      List<TargetGrant.GrantedTarget> granted = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        granted.add(new TargetGrant.GrantedTarget(request.targets().get(i).target(),
            ReleaseTargets.publicUrl(targets.get(i).url())));
      }
      return new TargetGrant(granted, stage.finished());
    });
  }

  @Override
  public Publication upload(UploadInput input) {
    return StageActivity.run(context, StageActivity.alive(stage -> {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      List<TargetPolicy> granted = resolve(input);
      List<PublishTarget> targets = new ArrayList<>();
      try {
        for (TargetPolicy target : granted) {
          targets.add(Targets.open(target, env));
        }
        Publisher.Outcome outcome = publisher(activity).publish(targets, input.files(), input.dryRun());
        return new Publication(granted.stream().map(t -> ReleaseTargets.publicUrl(t.url())).toList(),
            outcome.written(),
            stage.finished(), input.dryRun(), outcome.alreadyPublished(), outcome.resumed(), outcome.wouldPublish());
      } finally {
        closeAll(targets);
      }
    }));
  }

  @Override
  public PublishedRelease findPublished(UploadInput content) {
    return StageActivity.run(context, StageActivity.alive(stage -> {
      List<PublishTarget> targets = new ArrayList<>();
      try {
        for (TargetPolicy target : resolve(content)) {
          targets.add(Targets.open(target, env));
        }
        PublishedRelease published = publisher(Activity.getExecutionContext())
            .findPublished(targets, content.files(), context.workDir().resolve("tmp"));
        if (published.complete()) {
          log.info("every target already holds this release: release.json sha256:{}",
              published.releaseJson().sha256());
        }
        return published;
      } finally {
        closeAll(targets);
      }
    }));
  }

  @Override
  public void discardStaging(UploadInput input) {
    StageActivity.run(context, StageActivity.alive(stage -> {
      List<PublishTarget> targets = new ArrayList<>();
      try {
        for (TargetPolicy target : resolve(input)) {
          targets.add(Targets.open(target, env));
        }
        publisher(Activity.getExecutionContext()).discardStaging(targets);
        return null;
      } finally {
        closeAll(targets);
      }
    }));
  }

  /** The targets of this worker's policy the release asked for; checked again here, not taken from the input. */
  private List<TargetPolicy> resolve(UploadInput input) {
    return ReleaseTargets.resolve(context.policy(), input.project(), input.version(), input.targets());
  }

  private Publisher publisher(ActivityExecutionContext activity) {
    return new Publisher(context.store(), new PublishLedger(context.store()), activity.getInfo().getWorkflowId(),
        activity.getInfo().getRunId(), () -> activity.heartbeat(null));
  }

  /** Closes every connection; a failure to close one does not undo or hide what the upload did. */
  private static void closeAll(List<PublishTarget> targets) {
    for (PublishTarget target : targets) {
      try {
        target.close();
      } catch (IOException | RuntimeException e) {
        log.warn("closing {} failed: {}", target.url(), e.toString());
      }
    }
  }
}
