package io.cifarserve.batch;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code batch-prediction <command> [options]}; {@code --help} lists everything. */
@Command(
    name = "batch-prediction",
    mixinStandardHelpOptions = true,
    version = "cifar-serve batch-prediction 0.1.0",
    description = {
      "Classifies folders of pictures with an exported ONNX model, sharded and resumable.",
      "With MLFLOW_TRACKING_URI set, each shard is recorded as an MLflow run (docs/tracking.md)."
    },
    subcommands = {
      PredictDirCommand.class,
      PredictMergeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class BatchPrediction {

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new BatchPrediction());
    commandLine.setExecutionExceptionHandler(
        (e, cmd, parseResult) -> {
          cmd.getErr().println("error: " + e.getMessage());
          if (System.getenv("BATCH_PREDICTION_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        });
    return commandLine;
  }
}
