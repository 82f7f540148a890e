package dev.durablerelease.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A command about one release already started on the cluster at TEMPORAL_ADDRESS, named by its workflow id. */
abstract class ReleaseCommand implements Callable<Integer> {
  @ParentCommand
  ReleaseCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Parameters(paramLabel = "ID", description = "workflow id, e.g. release-hello-1.0.0")
  String workflowId;

  /** Connects to the cluster; the command's name is used in the error when none is configured. */
  Cluster connect() throws java.io.IOException {
    return Cluster.connect(root.env(), command.name());
  }

  PrintWriter out() {
    return command.commandLine().getOut();
  }

  PrintWriter err() {
    return command.commandLine().getErr();
  }
}
