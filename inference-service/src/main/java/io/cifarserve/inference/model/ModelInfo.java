package io.cifarserve.inference.model;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the service says about the model it serves. */
public record ModelInfo(
    String name,
    String version,
    String architecture,
    int inputSize,
    List<String> labels,
    List<Float> mean,
    List<Float> std,
    @Schema(description = "What the model was trained on") String trainingData,
    @Schema(description = "Measured on the test set at training time, e.g. test_accuracy")
        Map<String, Double> metrics,
    Instant createdAt,
    @Schema(description = "The model card, Markdown") String modelCard,
    String source,
    Instant loadedAt) {

  static ModelInfo of(LoadedModel model) {
    var m = model.metadata();
    return new ModelInfo(
        m.name(),
        m.version(),
        m.architecture(),
        m.inputSize(),
        m.labels(),
        m.mean(),
        m.std(),
        m.trainingData(),
        m.metrics(),
        m.createdAt(),
        m.modelCard(),
        model.source(),
        model.loadedAt());
  }
}
