package io.cifarserve.training.train;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

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
        all.add(m.renumbered(before + m.epoch()));
      }
    }
    return all;
  }

  public double seconds() {
    return stages.stream().mapToDouble(TrainingStage::seconds).sum();
  }

  /**
   * The stages a model exported by this job went through, from its {@code metrics.json} ({@code
   * stages} with each stage's options and epoch count, {@code epochs} numbered on across stages).
   */
  public static List<TrainingStage> fromMetrics(JsonNode metrics, JsonMapper json) {
    List<EpochMetrics> epochs =
        json.convertValue(metrics.path("epochs"), new TypeReference<List<EpochMetrics>>() {});
    List<TrainingStage> stages = new ArrayList<>();
    int first = 0;
    for (JsonNode stage : metrics.path("stages")) {
      int count = stage.path("epochsDone").asInt();
      List<EpochMetrics> history = new ArrayList<>();
      for (int i = 0; i < count && first + i < epochs.size(); i++) {
        history.add(epochs.get(first + i).renumbered(i + 1));
      }
      first += count;
      stages.add(
          new TrainingStage(
              json.convertValue(stage.get("options"), TrainingOptions.class), history));
    }
    return stages;
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
