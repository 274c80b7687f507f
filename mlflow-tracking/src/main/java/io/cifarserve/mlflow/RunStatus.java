package io.cifarserve.mlflow;

/** How a run ended, in MLflow's own terms. */
public enum RunStatus {
  RUNNING,
  FINISHED,
  FAILED,
  KILLED
}
