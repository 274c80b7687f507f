package io.cifarserve.training.train;

import java.util.List;

/**
 * One training run in a model's history. A model warm-restarted with {@code --init-from} has
 * several: each stage starts from the weights the previous one ended with.
 */
public record TrainingStage(TrainingOptions options, List<EpochMetrics> history) {

  public TrainingStage {
    history = List.copyOf(history);
  }

  public double seconds() {
    return history.stream().mapToDouble(EpochMetrics::seconds).sum();
  }

  /** The process's CPU time over the stage's epochs; NaN where it was not measured. */
  public double cpuSeconds() {
    return history.stream().mapToDouble(EpochMetrics::cpuSeconds).sum();
  }
}
