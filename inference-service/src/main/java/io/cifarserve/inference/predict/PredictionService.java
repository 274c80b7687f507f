package io.cifarserve.inference.predict;

import io.cifarserve.classifier.image.ImageDecodingException;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.common.api.BatchPredictionResponse;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.inference.engine.InferenceMetrics;
import io.cifarserve.inference.engine.ModelEngine;
import io.cifarserve.inference.model.ModelChoice;
import io.cifarserve.inference.model.ModelRegistry;
import io.cifarserve.inference.problem.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Decodes, preprocesses and classifies uploaded pictures. Each request leases the engine being
 * served once, and preprocesses, classifies and labels with that one engine's model.
 */
@Service
public class PredictionService {

  private final ModelRegistry models;
  private final InferenceMetrics metrics;
  private final ImagePipeline pipeline;

  public PredictionService(ModelRegistry models, InferenceMetrics metrics, ImagePipeline pipeline) {
    this.models = models;
    this.metrics = metrics;
    this.pipeline = pipeline;
  }

  /** Classifies one picture; decoding problems propagate as {@link ImageDecodingException}. */
  public PredictionResponse predict(byte[] image, int k, ModelChoice choice) {
    try (ModelEngine.Lease lease = models.lease(choice.model(), choice.version())) {
      ImagePipeline.Result result = pipeline.classify(List.of(image), classifier(lease), k).get(0);
      if (!result.ok()) {
        throw result.error();
      }
      return counted(lease, result.prediction());
    }
  }

  /** Classifies several pictures; each undecodable one gets its own error entry. */
  public BatchPredictionResponse predictBatch(List<NamedImage> images, int k, ModelChoice choice) {
    try (ModelEngine.Lease lease = models.lease(choice.model(), choice.version())) {
      List<ImagePipeline.Result> results = pipeline.classifyEach(images, classifier(lease), k);
      List<BatchPredictionResponse.Item> items = new ArrayList<>();
      int failed = 0;
      for (int i = 0; i < images.size(); i++) {
        ImagePipeline.Result result = results.get(i);
        if (result.ok()) {
          items.add(
              new BatchPredictionResponse.Item(
                  i, images.get(i).filename(), counted(lease, result.prediction()), null));
        } else {
          failed++;
          metrics.error(Problems.typeOf(result.error()));
          items.add(
              new BatchPredictionResponse.Item(
                  i, images.get(i).filename(), null, Problems.of(result.error())));
        }
      }
      return new BatchPredictionResponse(
          modelRef(lease.engine().metadata()), images.size() - failed, failed, items);
    }
  }

  /** The pipeline's view of a leased engine: its model, classified through its queue. */
  private static ImagePipeline.Classifier classifier(ModelEngine.Lease lease) {
    return new ImagePipeline.Classifier() {
      @Override
      public ModelMetadata metadata() {
        return lease.engine().metadata();
      }

      @Override
      public ImagePreprocessor preprocessor() {
        return lease.engine().preprocessor();
      }

      @Override
      public float[][] logits(List<float[]> tensors) {
        return lease.logits(tensors).toArray(float[][]::new);
      }
    };
  }

  private static PredictionResponse counted(
      ModelEngine.Lease lease, PredictionResponse prediction) {
    lease.engine().record(prediction);
    return prediction;
  }

  static PredictionResponse.ModelRef modelRef(ModelMetadata metadata) {
    return new PredictionResponse.ModelRef(metadata.name(), metadata.version());
  }

  /** An uploaded file's name, and its content, read when it is decoded. */
  public record NamedImage(String filename, Supplier<byte[]> content) implements Supplier<byte[]> {

    @Override
    public byte[] get() {
      return content.get();
    }
  }
}
