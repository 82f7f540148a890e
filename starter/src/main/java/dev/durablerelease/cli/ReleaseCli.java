package dev.durablerelease.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.durablerelease.activities.EngineVersion;
import dev.durablerelease.command.SandboxUnavailableException;
import dev.durablerelease.config.ConfigException;
import dev.durablerelease.worker.DevServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

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
public class ReleaseCli implements Runnable {
  private final Map<String, String> env;
  private final BufferedReader terminal;

  @Option(names = "--log-format", scope = ScopeType.INHERIT, defaultValue = "${env:DURABLE_RELEASE_LOG_FORMAT:-text}",
      description = "text (default) or json, one object per line on stderr")
  String logFormat;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "log each stage and worker event as well as the progress lines")
  boolean verbose;

  ReleaseCli(Map<String, String> env, BufferedReader terminal) {
    this.env = env;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    BufferedReader terminal = System.console() == null ? null
        : new BufferedReader(new InputStreamReader(System.in, java.nio.charset.Charset.defaultCharset()));
    System.exit(execute(args, System.getenv(), terminal, new PrintWriter(System.out, true),
        new PrintWriter(System.err, true)));
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
    CommandLine cli = new CommandLine(new ReleaseCli(env, terminal));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionStrategy(parsed -> {
      ReleaseCli root = parsed.commandSpec().root().userObject() instanceof ReleaseCli r ? r : null;
      if (root != null) {
        root.configureLogging(parsed.subcommand() == null ? null : parsed.subcommand().commandSpec().name());
      }
      return new CommandLine.RunLast().execute(parsed);
    });
    cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
      PrintWriter w = commandLine.getErr();
      if (e instanceof ConfigException spec) {
        w.println(spec.getMessage());
        return ExitCodes.BAD_INPUT;
      }
      if (e instanceof SandboxUnavailableException sandbox) {
        w.println("error: " + sandbox.getMessage());
        return ExitCodes.BAD_INPUT;
      }
      if (e instanceof DevServer.StartFailure failure) {
        w.println("error: " + failure.getMessage());
        return ExitCodes.BAD_INPUT;
      }
      if (e instanceof UserError user) {
        w.println("error: " + user.getMessage());
        return ExitCodes.BAD_INPUT;
      }
      throw e;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "give a command, e.g. release run --spec release.yaml");
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

  private void configureLogging(String command) {
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    if ("json".equals(logFormat)) {
      try {
        logging.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(logging);
        configurator.doConfigure(ReleaseCli.class.getResource("/logback-json.xml"));
      } catch (JoranException e) {
        throw new IllegalStateException("logback-json.xml is broken", e);
      }
    } else if (!"text".equals(logFormat)) {
      throw new UserError("--log-format must be text or json, not " + logFormat);
    }
    // these print their own progress lines; stage logs would repeat them
    boolean quiet = java.util.Set.of("run", "resume", "start", "watch").contains(command) && !verbose;
    logging.getLogger("dev.durablerelease").setLevel(quiet ? Level.WARN : Level.INFO);
  }

  /** {@code release --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"durable-release " + EngineVersion.get()};
    }
  }
}
