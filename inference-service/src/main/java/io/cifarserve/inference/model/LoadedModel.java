package io.cifarserve.inference.model;

import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.image.ImagePreprocessor;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.onnx.OnnxClassifier;
import java.time.Instant;

/** A model being served: the ORT session, the preprocessing it expects, and where it came from. */
public record LoadedModel(
    OnnxClassifier classifier, ImagePreprocessor preprocessor, String source, Instant loadedAt) {

  public ModelMetadata metadata() {
    return classifier.metadata();
  }

  /** How the API describes this model. */
  public ModelInfo info() {
    ModelMetadata m = metadata();
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
        source,
        loadedAt);
  }
}
