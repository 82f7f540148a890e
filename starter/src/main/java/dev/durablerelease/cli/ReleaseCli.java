package dev.durablerelease.cli;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.durablerelease.activities.EngineVersion;
import dev.durablerelease.command.SandboxUnavailableException;
import dev.durablerelease.config.ConfigException;
import dev.durablerelease.worker.DevServer;
import dev.durablerelease.worker.NetworkThreads;
import dev.durablerelease.worker.TemporalUnreachableException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The {@code release} command line. */
@Command(
    name = "release",
    mixinStandardHelpOptions = true,
    versionProvider = ReleaseCli.Version.class,
    description = "A release engine in which every release is a durable Temporal workflow.%n"
        + "With no TEMPORAL_ADDRESS set, commands run Temporal's server in this process on loopback.",
    subcommands = {RunCommand.class, ResumeCommand.class, StartCommand.class, StatusCommand.class, WatchCommand.class,
        OperatorCommands.Approve.class, OperatorCommands.Retry.class, OperatorCommands.Skip.class,
        OperatorCommands.Abort.class, ListCommand.class, HistoryCommand.class, VerifyCommand.class,
        WorkerCommand.class, DevServerCommand.class})
public class ReleaseCli implements Callable<Integer> {
  /** Where an unexpected failure is logged with its stack trace: the log file and JSON logs, never the terminal. */
  private static final Logger UNEXPECTED = LoggerFactory.getLogger("dev.durablerelease.cli.unexpected");

  /** Commands whose log is their output; the others print their own lines and log only errors to the terminal. */
  private static final Set<String> DAEMONS = Set.of("worker", "dev-server");

  private final Map<String, String> env;
  private final BufferedReader terminal;

  @Spec
  CommandLine.Model.CommandSpec command;

  @Option(names = "--log-format", scope = ScopeType.INHERIT, defaultValue = "${env:DURABLE_RELEASE_LOG_FORMAT:-text}",
      description = "text (default) or json, one object per line on stderr with every log line")
  String logFormat;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "log each stage and worker event, with stack traces, as well as the progress lines")
  boolean verbose;

  @Option(names = "--log-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "also write every log line, with stack traces, to FILE (appended), whatever the terminal shows")
  Path logFile;

  ReleaseCli(Map<String, String> env, BufferedReader terminal) {
    this.env = env;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    BufferedReader terminal = System.console() == null ? null
        : new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset()));
    int exitCode = execute(args, System.getenv(), terminal, new PrintWriter(System.out, true),
        new PrintWriter(System.err, true));
    NetworkThreads.stop();
    System.exit(exitCode);
  }

  /** Runs the CLI without a terminal (what tests call). */
  public static int execute(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
    return execute(args, env, null, out, err);
  }

  /**
   * Runs the CLI with the given environment and output streams.
   *
   * @param terminal the operator's answers when there is a terminal; null when there is none
   */
  public static int execute(String[] args, Map<String, String> env, BufferedReader terminal, PrintWriter out,
      PrintWriter err) {
    ReleaseCli root = new ReleaseCli(env, terminal);
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    // `release status --version` answers like `release --version`
    cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new Version()));
    cli.setParameterExceptionHandler((e, arguments) -> {
      CommandLine where = e.getCommandLine();
      where.getErr().println("error: " + parameterProblem(e, arguments) + "; see "
          + where.getCommandSpec().qualifiedName() + " --help");
      return ExitCodes.BAD_INPUT;
    });
    cli.setExecutionStrategy(parsed -> {
      root.configureLogging(leaf(parsed).commandSpec().name());
      return new CommandLine.RunLast().execute(parsed);
    });
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> root.failed(e, commandLine));
    return cli.execute(args);
  }

  /** {@code release} alone: what it can do. */
  @Override
  public Integer call() {
    command.commandLine().usage(command.commandLine().getOut());
    return ExitCodes.OK;
  }

  Map<String, String> env() {
    return env;
  }

  Operator operator(PrintWriter out) {
    return Operator.of(terminal, out, env);
  }

  boolean hasTerminal() {
    return terminal != null;
  }

  /** A command that threw: one line saying what happened and what to do; the stack trace only when asked for. */
  private int failed(Exception e, CommandLine commandLine) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof ConfigException spec) {
      err.println(spec.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof SandboxUnavailableException || e instanceof DevServer.StartFailure || e instanceof UserError) {
      err.println("error: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (e instanceof TemporalUnreachableException unreachable) {
      err.println("error: " + unreachable.getMessage() + "; start a server there (`release dev-server --port "
          + unreachable.port() + "`) or point TEMPORAL_ADDRESS at one"
          + (commandLine.getCommandName().equals("run") ? " (unset, run uses a server of its own)" : ""));
      return ExitCodes.UNAVAILABLE;
    }
    String name = commandLine.getCommandSpec().qualifiedName();
    UNEXPECTED.error("{} failed", name, e);
    err.println("error: " + name + " failed unexpectedly: " + e + "; run it again with --verbose to see where"
        + (logFile != null ? " (the stack trace is in " + logFile + ")" : ""));
    if (verbose) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.UNAVAILABLE;
  }

  /** The first thing wrong with the command line, as the user typed it: an unknown option before a missing one. */
  private static String parameterProblem(CommandLine.ParameterException e, String[] arguments) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.isUnknownOption()
        && !e.getCommandLine().getSubcommands().isEmpty() && !unmatched.getUnmatched().isEmpty()) {
      return "unknown command '" + unmatched.getUnmatched().get(0) + "'";
    }
    if (e instanceof CommandLine.MissingParameterException) {
      CommandLine.Model.CommandSpec spec = e.getCommandLine().getCommandSpec();
      for (String argument : arguments) {
        if (argument.startsWith("-") && argument.length() > 1 && !argument.equals("--")
            && spec.findOption(argument.split("=", 2)[0]) == null
            && spec.root().findOption(argument.split("=", 2)[0]) == null) {
          return "Unknown option: '" + argument + "'";
        }
      }
    }
    return e.getMessage().replaceFirst("^Error: ", "");
  }

  private static ParseResult leaf(ParseResult parsed) {
    return parsed.subcommand() == null ? parsed : leaf(parsed.subcommand());
  }

  /**
   * Chooses what reaches the terminal: commands that print their own progress show only errors, workers and the dev
   * server show what they do, {@code --verbose} shows everything with stack traces, {@code --log-format json} shows
   * everything as JSON lines; {@code --log-file} gets everything in any case.
   */
  private void configureLogging(String commandName) {
    if (!"json".equals(logFormat) && !"text".equals(logFormat)) {
      throw new CommandLine.ParameterException(command.commandLine(),
          "--log-format must be text or json, not " + logFormat);
    }
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    logging.reset();
    logging.putProperty("terminalLevel", verbose || DAEMONS.contains(commandName) ? "INFO" : "ERROR");
    logging.putProperty("terminalExceptions", verbose ? "%ex" : "%nopex");
    configure(logging, "json".equals(logFormat) ? "/logback-json.xml" : "/logback.xml");
    if (logFile != null) {
      logging.putProperty("logFile", logFile.toAbsolutePath().toString());
      configure(logging, "/logback-file.xml");
    }
  }

  private static void configure(LoggerContext logging, String resource) {
    try {
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(logging);
      configurator.doConfigure(ReleaseCli.class.getResource(resource));
    } catch (JoranException e) {
      throw new IllegalStateException(resource + " is broken", e);
    }
  }

  /** {@code release --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"durable-release " + EngineVersion.get()};
    }
  }
}
