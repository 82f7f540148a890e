package dev.durablerelease.activities;

import dev.durablerelease.activity.BuildActivities;
import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.CommandReport;
import dev.durablerelease.activity.GrantRequest;
import dev.durablerelease.activity.LimitsGrant;

/** Tests on the {@code release-build} queue. */
public class BuildActivitiesImpl implements BuildActivities {
  private final CommandStage commands;

  public BuildActivitiesImpl(WorkerContext context) {
    this.commands = new CommandStage(context);
  }

  @Override
  public LimitsGrant grantTestLimits(GrantRequest request) {
    return commands.grant(request, "testSource");
  }

  @Override
  public CommandReport testSource(CommandInput input) {
    return commands.run(input);
  }
}
