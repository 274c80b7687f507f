package io.cifarserve.training;

import io.cifarserve.mlflow.CommandParams;
import io.cifarserve.mlflow.GitCommit;
import io.cifarserve.mlflow.StandardTags;
import io.cifarserve.mlflow.TrackedExecution;
import io.cifarserve.mlflow.TrackedRun;
import io.cifarserve.training.tracking.FinalMetrics;
import io.cifarserve.training.tracking.RunArtifacts;
import io.cifarserve.training.tracking.Tracking;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * A command recorded as an MLflow run when {@code MLFLOW_TRACKING_URI} is set: its options,
 * versions and commit as parameters, what it measures as metrics, and what it writes into its
 * output folder as artifacts. Without tracking the command runs unchanged.
 */
abstract class TrackedCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand TrainingJob job;

  /** The run this command records to while it works; {@link TrackedRun#NONE} without tracking. */
  TrackedRun tracking = TrackedRun.NONE;

  /** Uploads the output folder's new files; available while the command works. */
  RunArtifacts artifacts;

  @Override
  public final Integer call() throws Exception {
    Tracking where = job != null ? job.tracking() : Tracking.fromEnvironment();
    Instant started = Instant.now();
    String source = "training-job " + spec.name();
    Map<String, String> tags = new LinkedHashMap<>();
    Map<String, String> params = new LinkedHashMap<>();
    if (where.enabled()) {
      String gitCommit = GitCommit.current();
      tags.putAll(StandardTags.of(source, gitCommit));
      tags.putAll(where.tags());
      params.putAll(CommandParams.of(spec));
      params.putAll(Versions.trackingParams(gitCommit));
    }
    return TrackedExecution.run(
        where.settings(),
        where.runName().orElse(spec.name() + "-" + Versions.timestamp()),
        tags,
        params,
        System.out,
        run -> {
          tracking = run;
          artifacts = new RunArtifacts(run, outputFolder(), started);
          try {
            return work();
          } finally {
            logFinalMetrics(run, started);
            artifacts.logNew();
          }
        });
  }

  /** The command's work; the tracking run and artifacts are set. */
  abstract int work() throws Exception;

  /** The folder the command writes its results into. */
  abstract Path outputFolder();

  /** The data's digest, a parameter of every run that reads data. */
  void logDataDigest(String sha256) {
    tracking.logParams(Map.of("data_sha256", sha256));
  }

  private void logFinalMetrics(TrackedRun run, Instant started) {
    if (run.info().isEmpty()) {
      return;
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    read(outputFolder().resolve("metrics.json"), started)
        .ifPresent(m -> figures.putAll(FinalMetrics.of(m)));
    read(outputFolder().resolve("evaluation.json"), started)
        .ifPresent(m -> figures.putAll(FinalMetrics.of(m)));
    read(outputFolder().resolve("int8").resolve("metrics.json"), started)
        .ifPresent(
            m -> FinalMetrics.of(m).forEach((key, value) -> figures.put("int8_" + key, value)));
    run.logMetrics(figures, 0);
  }

  private static Optional<JsonNode> read(Path file, Instant started) {
    try {
      if (!Files.isRegularFile(file)
          || Files.getLastModifiedTime(file).toInstant().isBefore(started.minusSeconds(1))) {
        return Optional.empty();
      }
      return Optional.of(Json.mapper().readTree(file.toFile()));
    } catch (Exception e) {
      System.out.printf(
          "MLflow: warning: cannot read %s for its metrics: %s%n", file, e.getMessage());
      return Optional.empty();
    }
  }
}
