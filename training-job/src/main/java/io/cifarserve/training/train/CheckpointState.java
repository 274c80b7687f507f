package io.cifarserve.training.train;

import java.util.List;

/** Where a run stands after a completed epoch. */
public record CheckpointState(
    TrainingOptions options, int epochsDone, long step, List<EpochMetrics> history) {}
