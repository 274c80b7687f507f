package io.cifarserve.training.train;

import java.util.ArrayList;
import java.util.List;

/** A model's training history, stage by stage, oldest first; never empty. */
public record TrainingStages(List<TrainingStage> stages) {

  public TrainingStages {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a model has at least one training stage");
    }
    stages = List.copyOf(stages);
  }

  /** These stages followed by one more. */
  public static TrainingStages of(List<TrainingStage> earlier, TrainingStage last) {
    List<TrainingStage> all = new ArrayList<>(earlier);
    all.add(last);
    return new TrainingStages(all);
  }

  public TrainingStage last() {
    return stages.get(stages.size() - 1);
  }

  /**
   * Every epoch of every stage, numbered on from one stage to the next (for curves and reports).
   */
  public List<EpochMetrics> epochs() {
    List<EpochMetrics> all = new ArrayList<>();
    for (TrainingStage stage : stages) {
      int before = all.size();
      for (EpochMetrics m : stage.history()) {
        all.add(
            new EpochMetrics(
                before + m.epoch(),
                m.trainLoss(),
                m.trainAccuracy(),
                m.validationLoss(),
                m.validationAccuracy(),
                m.learningRate(),
                m.imagesPerSecond(),
                m.seconds()));
      }
    }
    return all;
  }

  public double seconds() {
    return stages.stream().mapToDouble(TrainingStage::seconds).sum();
  }

  /** Training images per second over all stages, each epoch weighted by its duration. */
  public double imagesPerSecond() {
    double images = 0;
    double seconds = 0;
    for (TrainingStage stage : stages) {
      for (EpochMetrics m : stage.history()) {
        images += m.imagesPerSecond() * m.seconds();
        seconds += m.seconds();
      }
    }
    return seconds > 0 ? images / seconds : 0;
  }
}
