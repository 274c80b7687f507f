package io.cifarserve.training;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code training-job <command> [options]}; {@code --help} lists everything. */
@Command(
    name = "training-job",
    mixinStandardHelpOptions = true,
    version = "cifar-serve training-job 0.1.0",
    description =
        "Trains, evaluates, calibrates, quantizes and exports ResNet-18 CIFAR-10 classifiers.",
    subcommands = {
      TrainCommand.class,
      EvaluateCommand.class,
      ExportCommand.class,
      CalibrateCommand.class,
      QuantizeCommand.class,
      BenchmarkCommand.class,
      CheckNumericsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TrainingJob {

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new TrainingJob());
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
