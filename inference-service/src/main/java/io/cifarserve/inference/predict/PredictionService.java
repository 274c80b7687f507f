package io.cifarserve.inference.predict;

import io.cifarserve.common.api.BatchPredictionResponse;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.image.ImageDecoder;
import io.cifarserve.common.image.ImageDecodingException;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.inference.engine.InferenceMetrics;
import io.cifarserve.inference.engine.ModelEngine;
import io.cifarserve.inference.model.ModelChoice;
import io.cifarserve.inference.model.ModelRegistry;
import io.cifarserve.inference.problem.Problems;
import io.cifarserve.inference.upload.UploadProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Decodes, preprocesses and classifies uploaded pictures. Each request leases the engine being
 * served once, and preprocesses, classifies and labels with that one engine's model.
 */
@Service
public class PredictionService {

  private final ModelRegistry models;
  private final InferenceMetrics metrics;
  private final ImageDecoder decoder;

  public PredictionService(
      ModelRegistry models, InferenceMetrics metrics, UploadProperties uploads) {
    this.models = models;
    this.metrics = metrics;
    this.decoder = new ImageDecoder(uploads.maxPixels());
  }

  /** Classifies one picture; decoding problems propagate as {@link ImageDecodingException}. */
  public PredictionResponse predict(byte[] image, int k, ModelChoice choice) {
    try (ModelEngine.Lease lease = models.lease(choice.model(), choice.version())) {
      ModelEngine model = lease.engine();
      float[] tensor = model.preprocessor().toTensor(decoder.decode(image));
      long started = System.nanoTime();
      float[] probabilities = lease.classify(List.of(tensor)).get(0);
      return describe(probabilities, k, model.metadata(), started);
    }
  }

  /** Classifies several pictures; each undecodable one gets its own error entry. */
  public BatchPredictionResponse predictBatch(List<NamedImage> images, int k, ModelChoice choice) {
    try (ModelEngine.Lease lease = models.lease(choice.model(), choice.version())) {
      return predictBatch(images, k, lease);
    }
  }

  private BatchPredictionResponse predictBatch(
      List<NamedImage> images, int k, ModelEngine.Lease lease) {
    ModelEngine model = lease.engine();
    List<float[]> tensors = new ArrayList<>();
    List<Integer> decoded = new ArrayList<>();
    BatchPredictionResponse.Item[] items = new BatchPredictionResponse.Item[images.size()];
    for (int i = 0; i < images.size(); i++) {
      NamedImage image = images.get(i);
      try {
        tensors.add(model.preprocessor().toTensor(decoder.decode(image.bytes())));
        decoded.add(i);
      } catch (ImageDecodingException e) {
        metrics.error(Problems.typeOf(e));
        items[i] = new BatchPredictionResponse.Item(i, image.filename(), null, Problems.of(e));
      }
    }
    long started = System.nanoTime();
    List<float[]> results = tensors.isEmpty() ? List.of() : lease.classify(tensors);
    for (int j = 0; j < decoded.size(); j++) {
      int i = decoded.get(j);
      items[i] =
          new BatchPredictionResponse.Item(
              i,
              images.get(i).filename(),
              describe(results.get(j), k, model.metadata(), started),
              null);
    }
    return new BatchPredictionResponse(
        modelRef(model.metadata()), decoded.size(), images.size() - decoded.size(), List.of(items));
  }

  private PredictionResponse describe(
      float[] probabilities, int k, ModelMetadata metadata, long startedNanos) {
    PredictionResponse response =
        PredictionResponse.rank(
            probabilities,
            metadata.labels(),
            k,
            modelRef(metadata),
            (System.nanoTime() - startedNanos) / 1e6);
    metrics.prediction(response.label());
    return response;
  }

  static PredictionResponse.ModelRef modelRef(ModelMetadata metadata) {
    return new PredictionResponse.ModelRef(metadata.name(), metadata.version());
  }

  /** An uploaded file's name and content. */
  public record NamedImage(String filename, byte[] bytes) {}
}
