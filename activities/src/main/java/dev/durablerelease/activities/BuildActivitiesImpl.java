package dev.durablerelease.activities;

import dev.durablerelease.activity.BuildActivities;
import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.CommandReport;

/** Tests on the {@code release-build} queue. */
public class BuildActivitiesImpl implements BuildActivities {
  private final CommandStage commands;

  public BuildActivitiesImpl(WorkerContext context) {
    this.commands = new CommandStage(context);
  }

  @Override
  public CommandReport testSource(CommandInput input) {
    return commands.run(input);
  }
}
