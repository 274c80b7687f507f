package io.cifarserve.training.sweep;

import io.cifarserve.mlflow.MlflowClient;
import io.cifarserve.mlflow.MlflowException;
import io.cifarserve.mlflow.MlflowSettings;
import io.cifarserve.mlflow.RunStatus;
import io.cifarserve.mlflow.StandardTags;
import io.cifarserve.mlflow.TrackingUnavailableException;
import io.cifarserve.training.tracking.Tracking;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The MLflow run a sweep's configurations are children of. Tasks of one Cloud Run execution run
 * apart, so the parent is made once, before them ({@code sweep --start-parent}), and its id kept in
 * the sweep's folder, where every task reads it; a single-task sweep makes its own.
 */
public final class SweepParent {

  static final String ID_FILE = "parent-run-id";

  private final Tracking tracking;
  private final Path out;
  private final PrintStream console;

  public SweepParent(Tracking tracking, Path out, PrintStream console) {
    this.tracking = tracking;
    this.out = out;
    this.console = console;
  }

  /** Creates the parent run, records the sweep's definition on it, and keeps its id. */
  public Optional<String> create(String name, SweepSpec spec, Map<String, String> tags) {
    if (!tracking.enabled()) {
      console.println("no MLFLOW_TRACKING_URI: the sweep has no parent run to start");
      return Optional.empty();
    }
    MlflowSettings settings = tracking.settings().get();
    MlflowClient client = new MlflowClient(settings);
    try {
      String experiment = client.experimentId(settings.experimentName());
      Map<String, String> allTags = new LinkedHashMap<>(tags);
      allTags.putAll(tracking.tags());
      String id = client.createRun(experiment, name, System.currentTimeMillis(), allTags).runId();
      client.logBatch(id, List.of(), params(spec), Map.of());
      Files.writeString(out.resolve(ID_FILE), id + "\n");
      console.printf("MLflow: sweep parent run %s (kept in %s)%n", id, out.resolve(ID_FILE));
      return Optional.of(id);
    } catch (MlflowException e) {
      throw new TrackingUnavailableException(
          "tracking was asked for (%s=%s) but the sweep's parent run could not start: %s"
              .formatted(MlflowSettings.TRACKING_URI, settings.trackingUri(), e.getMessage()),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + out.resolve(ID_FILE), e);
    }
  }

  /** The parent run's id for a task: kept by --start-parent, or made now by a single task. */
  public Optional<String> forTask(
      int taskCount, String name, SweepSpec spec, Map<String, String> tags) {
    if (!tracking.enabled()) {
      return Optional.empty();
    }
    Optional<String> kept = keptId();
    if (kept.isPresent()) {
      return kept;
    }
    if (taskCount > 1) {
      throw new IllegalStateException(
          ("%d tasks need one parent run: start it first with `training-job sweep SPEC --out %s"
                  + " --start-parent` (see docs/tracking.md)")
              .formatted(taskCount, out));
    }
    return create(name, spec, tags);
  }

  /** Records the summary on the parent run and ends it. */
  public void finish(SweepSummary summary, Path summaryFile) {
    Optional<String> id = keptId();
    if (!tracking.enabled() || id.isEmpty()) {
      return;
    }
    MlflowClient client = new MlflowClient(tracking.settings().get());
    try {
      Map<String, String> tags = new LinkedHashMap<>();
      summary
          .best()
          .ifPresent(
              best -> {
                tags.put("best_configuration", best.name());
                best.values()
                    .forEach((key, value) -> tags.put("best." + key, String.valueOf(value)));
              });
      List<io.cifarserve.mlflow.Metric> metrics = new java.util.ArrayList<>();
      long now = System.currentTimeMillis();
      summary
          .best()
          .ifPresent(
              best ->
                  metrics.add(
                      new io.cifarserve.mlflow.Metric(
                          "best_val_accuracy", best.validationAccuracy(), now, 0)));
      metrics.add(new io.cifarserve.mlflow.Metric("configurations_done", summary.done(), now, 0));
      client.logBatch(id.get(), metrics, Map.of(), tags);
      client.uploadArtifact(client.getRun(id.get()).artifactUri(), SweepSummary.FILE, summaryFile);
      boolean complete = summary.done() == summary.rows().size();
      client.updateRun(id.get(), complete ? RunStatus.FINISHED : RunStatus.FAILED, now);
      console.printf(
          "MLflow: sweep parent run %s ended %s%n", id.get(), complete ? "FINISHED" : "FAILED");
    } catch (MlflowException e) {
      console.printf(
          "MLflow: warning: the sweep's parent run was not updated: %s%n", e.getMessage());
    }
  }

  private Optional<String> keptId() {
    Path file = out.resolve(ID_FILE);
    try {
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file).trim())
          : Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static Map<String, String> params(SweepSpec spec) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("search", spec.search());
    if (spec.search().equals("random")) {
      params.put("trials", String.valueOf(spec.trials()));
      params.put("seed", String.valueOf(spec.seed()));
    }
    spec.base().forEach((key, value) -> params.put(key, String.valueOf(value)));
    spec.parameters().forEach((key, value) -> params.put("search." + key, String.valueOf(value)));
    return params;
  }

  /** The standard tags of a sweep's runs. */
  public static Map<String, String> tags(String gitCommit) {
    return StandardTags.of("training-job sweep", gitCommit);
  }
}
