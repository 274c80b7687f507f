package io.cifarserve.training;

import io.cifarserve.mlflow.GitCommit;
import io.cifarserve.mlflow.StandardTags;
import io.cifarserve.training.sweep.Configuration;
import io.cifarserve.training.sweep.Configurations;
import io.cifarserve.training.sweep.SweepParent;
import io.cifarserve.training.sweep.SweepSpec;
import io.cifarserve.training.sweep.SweepSummary;
import io.cifarserve.training.tracking.Tracking;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description = {
      "Trains the configurations of a grid or random search (SPEC, a YAML file; see",
      "docs/tracking.md), each into --out/config-NNN. Task I of N (Cloud Run Jobs' CLOUD_RUN_TASK_INDEX",
      "and _COUNT) trains configurations I, I+N, ...; a task run again skips what is done and",
      "resumes what is not. With MLFLOW_TRACKING_URI each configuration is a child run of one",
      "parent run. A single task, or --summarize, then names the best by validation accuracy."
    })
final class SweepCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SPEC", description = "The sweep's YAML file.")
  Path specFile;

  @Option(
      names = "--out",
      required = true,
      description = "The sweep's folder, shared by its tasks.")
  Path out;

  @Option(
      names = "--task-index",
      defaultValue = "${env:CLOUD_RUN_TASK_INDEX:-0}",
      description = "This task, from 0. Default: $CLOUD_RUN_TASK_INDEX, else 0.")
  int taskIndex;

  @Option(
      names = "--task-count",
      defaultValue = "${env:CLOUD_RUN_TASK_COUNT:-1}",
      description = "How many tasks share the sweep. Default: $CLOUD_RUN_TASK_COUNT, else 1.")
  int taskCount;

  @Option(
      names = "--start-parent",
      description = "Only start the MLflow parent run (before a sweep of several tasks).")
  boolean startParent;

  @Option(
      names = "--summarize",
      description = "Only summarise: name the best configuration, end the parent run.")
  boolean summarize;

  @ParentCommand TrainingJob job;

  @Override
  public Integer call() throws Exception {
    PrintStream console = System.out;
    SweepSpec spec = SweepSpec.read(specFile);
    List<Configuration> all = Configurations.of(spec);
    Files.createDirectories(out);
    SweepParent parent = new SweepParent(job.tracking(), out, console);
    String name = "sweep-" + out.getFileName();
    Map<String, String> tags = SweepParent.tags(GitCommit.current());
    if (startParent) {
      parent.create(name, spec, tags);
      return 0;
    }
    if (summarize) {
      return summarise(all, parent, console);
    }
    Optional<String> parentId = parent.forTask(taskCount, name, spec, tags);
    List<Configuration> mine = Configurations.share(all, taskIndex, taskCount);
    console.printf(
        "task %d of %d: %d of the %d configurations%n",
        taskIndex, taskCount, mine.size(), all.size());
    int failed = 0;
    for (Configuration configuration : mine) {
      failed += train(spec, configuration, parentId, console) ? 0 : 1;
    }
    if (taskCount == 1) {
      summarise(all, parent, console);
    }
    return failed == 0 ? 0 : 1;
  }

  /** Trains one configuration in this process, unless it is done; resumes it if begun. */
  private boolean train(
      SweepSpec spec, Configuration configuration, Optional<String> parentId, PrintStream console) {
    Path runDir = out.resolve(configuration.name());
    if (Files.isRegularFile(runDir.resolve("metrics.json"))) {
      console.printf("%s: done before, skipped%n", configuration.name());
      return true;
    }
    List<String> args = new ArrayList<>(configuration.trainArguments(spec.base(), runDir));
    if (Files.isRegularFile(runDir.resolve("checkpoint.json"))) {
      args.add("--resume");
    }
    console.printf("%s: %s%n", configuration.name(), configuration.values());
    Tracking child =
        new Tracking(
            job.tracking().settings(),
            parentId.map(id -> Map.of(StandardTags.PARENT_RUN_ID, id)).orElse(Map.of()),
            Optional.of(configuration.name()));
    int code = TrainingJob.commandLine(new TrainingJob(child)).execute(args.toArray(String[]::new));
    if (code != 0) {
      console.printf("%s: failed (exit %d); the sweep goes on%n", configuration.name(), code);
    }
    return code == 0;
  }

  private int summarise(List<Configuration> all, SweepParent parent, PrintStream console) {
    SweepSummary summary = SweepSummary.read(all, out, Json.mapper());
    parent.finish(summary, summary.write(out, Json.mapper(), console));
    return summary.best().isPresent() ? 0 : 1;
  }
}
