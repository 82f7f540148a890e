package dev.durablerelease.activities;

import dev.durablerelease.activity.CommandInput;
import dev.durablerelease.activity.CommandReport;
import dev.durablerelease.activity.DocsActivities;
import dev.durablerelease.activity.GrantRequest;
import dev.durablerelease.activity.LimitsGrant;

/** Documentation on the {@code release-docs} queue. */
public class DocsActivitiesImpl implements DocsActivities {
  private final CommandStage commands;

  public DocsActivitiesImpl(WorkerContext context) {
    this.commands = new CommandStage(context);
  }

  @Override
  public LimitsGrant grantDocsLimits(GrantRequest request) {
    return commands.grant(request, "buildDocs");
  }

  @Override
  public CommandReport buildDocs(CommandInput input) {
    return commands.run(input);
  }
}
