package io.cifarserve.training.train;

import java.util.List;

/**
 * Where a run stands after a completed epoch. {@code earlierStages} are the runs its initial
 * weights came from ({@code --init-from}), so a chain of warm restarts keeps its whole history.
 */
public record CheckpointState(
    TrainingOptions options,
    int epochsDone,
    long step,
    List<EpochMetrics> history,
    List<TrainingStage> earlierStages) {

  public CheckpointState {
    history = List.copyOf(history);
    // Checkpoints written before stages were recorded have none.
    earlierStages = earlierStages == null ? List.of() : List.copyOf(earlierStages);
  }

  /** The earlier stages and this run's. */
  public TrainingStages stages() {
    return TrainingStages.of(earlierStages, new TrainingStage(options, history));
  }
}
