package io.cifarserve.training.tracking;

import io.cifarserve.mlflow.MlflowSettings;
import java.util.Map;
import java.util.Optional;

/**
 * Where the job's commands record their runs: the tracking server (empty: nowhere), tags every run
 * gets (a sweep's parent run, say), and a run name in place of the command's.
 */
public record Tracking(
    Optional<MlflowSettings> settings, Map<String, String> tags, Optional<String> runName) {

  public Tracking {
    tags = Map.copyOf(tags);
  }

  /** From MLflow's environment variables; off when {@code MLFLOW_TRACKING_URI} is not set. */
  public static Tracking fromEnvironment() {
    return new Tracking(
        MlflowSettings.fromEnvironment(System.getenv()), Map.of(), Optional.empty());
  }

  public boolean enabled() {
    return settings.isPresent();
  }
}
