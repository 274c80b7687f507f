package io.cifarserve.training;

import io.cifarserve.training.tracking.Tracking;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code training-job <command> [options]}; {@code --help} lists everything. */
@Command(
    name = "training-job",
    mixinStandardHelpOptions = true,
    version = "cifar-serve training-job 0.1.0",
    description = {
      "Trains, evaluates, calibrates, quantizes and exports ResNet-18 CIFAR-10 classifiers.",
      "With MLFLOW_TRACKING_URI set, each command is recorded as an MLflow run (docs/tracking.md)."
    },
    subcommands = {
      TrainCommand.class,
      EvaluateCommand.class,
      ExportCommand.class,
      CalibrateCommand.class,
      QuantizeCommand.class,
      BenchmarkCommand.class,
      CheckNumericsCommand.class,
      SweepCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TrainingJob {

  private final Tracking tracking;

  /** Tracking from MLflow's environment variables. */
  public TrainingJob() {
    this(Tracking.fromEnvironment());
  }

  /** Records the commands' runs as {@code tracking} says (a sweep's child runs, say). */
  public TrainingJob(Tracking tracking) {
    this.tracking = tracking;
  }

  Tracking tracking() {
    return tracking;
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    return commandLine(new TrainingJob());
  }

  /** The command line of this job, as {@link #commandLine()}. */
  static CommandLine commandLine(TrainingJob job) {
    CommandLine commandLine = new CommandLine(job);
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          cmd.getErr().println("error: " + e.getMessage());
          if (System.getenv("TRAINING_JOB_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    return commandLine;
  }
}
