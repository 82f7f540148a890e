package dev.durablerelease.activities;

import dev.durablerelease.activity.Failures;
import dev.durablerelease.activity.GrantRequest;
import dev.durablerelease.activity.Publication;
import dev.durablerelease.activity.PublishedRelease;
import dev.durablerelease.activity.StageFailure;
import dev.durablerelease.activity.TargetGrant;
import dev.durablerelease.activity.UploadActivities;
import dev.durablerelease.activity.UploadInput;
import dev.durablerelease.policy.Policy;
import dev.durablerelease.policy.PolicyVersions.ReadVersion;
import dev.durablerelease.policy.PolicyVersions;
import dev.durablerelease.policy.TargetPolicy;
import dev.durablerelease.publish.PublishLedger;
import dev.durablerelease.publish.PublishTarget;
import dev.durablerelease.publish.Publisher;
import dev.durablerelease.publish.ReleaseOrder;
import dev.durablerelease.publish.ReleaseTargets;
import dev.durablerelease.publish.Targets;
import dev.durablerelease.spec.TargetRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /**
   * Also reads the version for the operator's gates (targets that take some release levels only) and refuses one that
   * is not greater than the greatest final its targets already hold, before any build work.
   */
  @Override
  public TargetGrant grantTargets(GrantRequest request) {
    return StageActivity.run(context, stage -> {
      Policy policy = context.policy();
      ReadVersion version = PolicyVersions.read(policy, request.project(), request.version(), request.versioning());
      List<TargetRequest> taken = new ArrayList<>();
      List<TargetGrant.SkippedTarget> skipped = new ArrayList<>();
      List<ReleaseOrder.TargetPlace> places = new ArrayList<>();
      for (TargetRequest asked : request.targets()) {
        TargetPolicy target = policy.target(request.project(), asked.target());
        places.add(new ReleaseOrder.TargetPlace(asked.target(),
            ReleaseTargets.template(target, asked, request.project()), folder -> listing(target, folder)));
        String outside = PolicyVersions.outside(target.levels(), version.facts(), "takes");
        if (outside == null) {
          taken.add(asked);
        } else {
          skipped.add(new TargetGrant.SkippedTarget(asked.target(), outside));
        }
      }
      List<TargetPolicy> targets = ReleaseTargets.resolve(policy, request.project(), version.facts(), taken);
      new ReleaseOrder(context.store()).check(request.project(), version, places);
      List<TargetGrant.GrantedTarget> granted = new ArrayList<>();
      for (int i = 0; i < targets.size(); i++) {
        granted.add(new TargetGrant.GrantedTarget(taken.get(i).target(),
            ReleaseTargets.publicUrl(targets.get(i).url())));
      }
      return new TargetGrant(granted, stage.finished(), skipped);
    });
  }

  /** A folder of a target as the order check sees it: only folders on the upload worker list (file://). */
  private Optional<List<String>> listing(TargetPolicy target, String folderUrl) throws IOException {
    if (!folderUrl.startsWith("file:")) {
      return Optional.empty();
    }
    try (PublishTarget folder = Targets.open(target.withUrl(folderUrl), env)) {
      return folder.list("");
    }
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
        if (!input.dryRun()) {
          recordVersion(input, activity.getInfo().getRunId());
        }
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

  /**
   * The targets of this worker's policy the release asked for; checked again here, not taken from the input: a target
   * that takes other release levels only is refused (the workflow leaves it out).
   */
  private List<TargetPolicy> resolve(UploadInput input) {
    Policy policy = context.policy();
    ReadVersion version = PolicyVersions.read(policy, input.project(), input.version(), input.versioning());
    for (TargetRequest asked : input.targets()) {
      String outside = PolicyVersions.outside(policy.target(input.project(), asked.target()).levels(),
          version.facts(), "takes");
      if (outside != null) {
        throw new StageFailure(Failures.POLICY_REFUSED, "target " + asked.target() + " " + outside
            + "; nothing was published");
      }
    }
    return ReleaseTargets.resolve(policy, input.project(), version.facts(), input.targets());
  }

  /** Each target now holds this version: what the next release's order check compares with. */
  private void recordVersion(UploadInput input, String run) throws IOException {
    ReleaseOrder order = new ReleaseOrder(context.store());
    for (TargetRequest asked : input.targets()) {
      TargetPolicy target = context.policy().target(input.project(), asked.target());
      order.record(input.project(), ReleaseTargets.template(target, asked, input.project()), input.version(), run);
    }
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
