package dev.durablerelease.cli;

import dev.durablerelease.activity.TaskQueues;
import dev.durablerelease.version.InvalidVersionException;
import dev.durablerelease.version.SchemeVersion;
import dev.durablerelease.version.Versions;
import dev.durablerelease.workflow.ReleaseSearchAttributes;
import dev.durablerelease.workflow.ReleaseWorkflow;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code release list}: releases on the cluster, by their search attributes. */
@Command(name = "list", mixinStandardHelpOptions = true,
    description = "List releases with their status and stage, by project and version, greatest first.")
class ListCommand implements Callable<Integer> {
  /** Memo keys the starter sets: how the release's version is read (release.yaml's versionScheme). */
  static final String MEMO_SCHEME = "versionScheme";
  static final String MEMO_PATTERN = "versionPattern";

  @ParentCommand
  ReleaseCli root;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--status", description = "only releases in this state: Running, WaitingForApproval, Blocked,"
      + " Succeeded, Aborted, Failed")
  String status;

  @Option(names = "--project", description = "only releases of this project")
  String project;

  @Option(names = "--finals", description = "only finals (and post-releases) of projects with a versionScheme")
  boolean finals;

  @Option(names = "--prereleases", description = "only pre-releases (dev, alpha, beta, rc)")
  boolean prereleases;

  /**
   * One release as listed.
   *
   * @param open whether its workflow is still open (running, as Temporal sees it)
   * @param scheme its versionScheme (from the memo the starter set), or null
   * @param pattern calver's pattern, or null
   */
  record Row(String workflowId, String status, String stage, String project, String version, Instant started,
      boolean open, String scheme, String pattern) {

    /** What the version means, when the release was started with a scheme; null otherwise. */
    SchemeVersion parsed() {
      try {
        return scheme == null || version == null ? null : Versions.parse(scheme, pattern, version);
      } catch (InvalidVersionException | IllegalArgumentException e) {
        return null;
      }
    }

    String level() {
      SchemeVersion parsed = parsed();
      return parsed == null ? null : parsed.facts().level();
    }
  }

  @Override
  public Integer call() throws Exception {
    try (Cluster cluster = Cluster.connect(root.env(), "list")) {
      List<Row> rows;
      try {
        rows = cluster.client().listExecutions(query()).map(ListCommand::row).toList();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
          throw e;
        }
        // the Java test server (dev-server) has no visibility queries: list, describe, filter here
        rows = listWithoutVisibility(cluster).stream()
            .filter(r -> status == null || status.equals(r.status()))
            .filter(r -> project == null || project.equals(r.project()))
            .toList();
      }
      if (finals && prereleases) {
        throw new UserError("--finals and --prereleases exclude each other; give one");
      }
      rows = rows.stream().filter(this::levelWanted).toList();
      print(command.commandLine().getOut(), rows);
      for (Row r : rows) {
        // the status is recorded by the workflow's first task: an open release without one was never picked up
        if (r.open() && r.status() == null && r.started().isBefore(Instant.now().minus(StatusQuery.WAIT))) {
          command.commandLine().getOut().println(r.workflowId() + " has not been picked up since it started at "
              + r.started() + ": no worker serves the workflow queue " + TaskQueues.WORKFLOWS + "; start one with"
              + " `release worker`");
        }
      }
      command.commandLine().getOut().flush();
      return ExitCodes.OK;
    }
  }

  /** Without a scheme a release has no level: it is left out of both filters. */
  private boolean levelWanted(Row row) {
    if (!finals && !prereleases) {
      return true;
    }
    SchemeVersion parsed = row.parsed();
    return parsed != null && parsed.facts().prerelease() == prereleases;
  }

  private String query() {
    StringBuilder q = new StringBuilder("WorkflowType = '" + ReleaseWorkflow.TYPE + "'");
    if (status != null) {
      q.append(" AND ").append(ReleaseSearchAttributes.STATUS.getName()).append(" = '").append(status).append("'");
    }
    if (project != null) {
      q.append(" AND ").append(ReleaseSearchAttributes.PROJECT.getName()).append(" = '").append(project).append("'");
    }
    return q.toString();
  }

  private static Row row(io.temporal.client.WorkflowExecutionMetadata m) {
    var attributes = m.getTypedSearchAttributes();
    String scheme = m.getMemo(MEMO_SCHEME, String.class, String.class);
    String pattern = m.getMemo(MEMO_PATTERN, String.class, String.class);
    return new Row(m.getExecution().getWorkflowId(), attributes.get(ReleaseSearchAttributes.STATUS),
        attributes.get(ReleaseSearchAttributes.STAGE), attributes.get(ReleaseSearchAttributes.PROJECT),
        attributes.get(ReleaseSearchAttributes.VERSION), m.getStartTime(),
        m.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, scheme, pattern);
  }

  private static List<Row> listWithoutVisibility(Cluster cluster) {
    var service = cluster.stubs().blockingStub();
    WorkflowTypeFilter type = WorkflowTypeFilter.newBuilder().setName(ReleaseWorkflow.TYPE).build();
    List<WorkflowExecutionInfo> executions = new ArrayList<>(service.listOpenWorkflowExecutions(
        ListOpenWorkflowExecutionsRequest.newBuilder().setNamespace(cluster.namespace()).setTypeFilter(type)
            .setMaximumPageSize(1000).build()).getExecutionsList());
    executions.addAll(service.listClosedWorkflowExecutions(ListClosedWorkflowExecutionsRequest.newBuilder()
        .setNamespace(cluster.namespace()).setTypeFilter(type).setMaximumPageSize(1000)
        .setStartTimeFilter(StartTimeFilter.newBuilder().setLatestTime(com.google.protobuf.util.Timestamps
            .fromMillis(System.currentTimeMillis())))
        .build()).getExecutionsList());
    List<Row> rows = new ArrayList<>();
    for (WorkflowExecutionInfo listed : executions) {
      WorkflowExecutionInfo info = service.describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
          .setNamespace(cluster.namespace())
          .setExecution(WorkflowExecution.newBuilder().setWorkflowId(listed.getExecution().getWorkflowId())
              .setRunId(listed.getExecution().getRunId()))
          .build()).getWorkflowExecutionInfo();
      Map<String, Payload> attributes = info.getSearchAttributes().getIndexedFieldsMap();
      rows.add(new Row(info.getExecution().getWorkflowId(), text(attributes, ReleaseSearchAttributes.STATUS.getName()),
          text(attributes, ReleaseSearchAttributes.STAGE.getName()),
          text(attributes, ReleaseSearchAttributes.PROJECT.getName()),
          text(attributes, ReleaseSearchAttributes.VERSION.getName()),
          Instant.ofEpochSecond(info.getStartTime().getSeconds(), info.getStartTime().getNanos()),
          info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
          text(info.getMemo().getFieldsMap(), MEMO_SCHEME), text(info.getMemo().getFieldsMap(), MEMO_PATTERN)));
    }
    return rows;
  }

  static String text(Map<String, Payload> attributes, String name) {
    Payload payload = attributes.get(name);
    return payload == null ? null
        : DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }

  private static void print(PrintWriter out, List<Row> rows) {
    String format = "%-36s %-18s %-14s %-12s %-12s %-6s %s%n";
    out.printf(format, "ID", "STATUS", "STAGE", "PROJECT", "VERSION", "LEVEL", "STARTED");
    rows.stream().sorted(ORDER).forEach(r -> out.printf(format, r.workflowId(), orDash(r.status()),
        orDash(r.stage()), orDash(r.project()), orDash(r.version()), orDash(r.level()), r.started()));
    out.flush();
  }

  /**
   * By project, then version, greatest first: in the order of their scheme where both were started with the same
   * one, else as text; then the newest start first.
   */
  static final Comparator<Row> ORDER = Comparator.comparing((Row r) -> orDash(r.project()))
      .thenComparing(ListCommand::compareVersions)
      .thenComparing(Comparator.comparing(Row::started).reversed());

  private static int compareVersions(Row a, Row b) {
    SchemeVersion x = a.parsed();
    SchemeVersion y = b.parsed();
    if (x != null && y != null && a.scheme().equals(b.scheme()) && java.util.Objects.equals(a.pattern(),
        b.pattern())) {
      return y.compareTo(x);
    }
    return orDash(b.version()).compareTo(orDash(a.version()));
  }

  private static String orDash(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }
}
