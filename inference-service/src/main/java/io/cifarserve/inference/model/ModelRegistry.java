package io.cifarserve.inference.model;

import io.cifarserve.common.image.ImagePreprocessor;
import io.cifarserve.common.onnx.InvalidModelException;
import io.cifarserve.common.onnx.OnnxClassifier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Holds the model being served and swaps it atomically. A new model is loaded and warmed up before
 * it replaces the old one; a model that fails to load is refused and the old one keeps serving. The
 * old session is closed once its running inferences finish.
 */
@Component
public class ModelRegistry implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  private final AtomicReference<LoadedModel> current = new AtomicReference<>();
  private final ModelProperties properties;
  private final MultiGauge modelInfo;
  private final MeterRegistry meters;

  public ModelRegistry(ModelProperties properties, MeterRegistry meters) {
    this.properties = properties;
    this.meters = meters;
    this.modelInfo =
        MultiGauge.builder("inference.model.info")
            .description("The model being served (value 1), labelled with its name and version")
            .register(meters);
  }

  public Optional<LoadedModel> current() {
    return Optional.ofNullable(current.get());
  }

  /** The model being served; throws {@link ModelNotReadyException} while none is loaded. */
  public LoadedModel require() {
    LoadedModel model = current.get();
    if (model == null) {
      throw new ModelNotReadyException();
    }
    return model;
  }

  /**
   * Loads, checks and warms up a model, then makes it current.
   *
   * @throws InvalidModelException the bytes are not a usable model; the current one stays
   */
  public synchronized LoadedModel load(byte[] onnx, String source) {
    OnnxClassifier classifier = OnnxClassifier.load(onnx, properties.intraOpThreads());
    LoadedModel candidate;
    try {
      candidate =
          new LoadedModel(
              classifier, ImagePreprocessor.forModel(classifier.metadata()), source, Instant.now());
      warmUp(candidate);
    } catch (RuntimeException e) {
      classifier.close();
      throw new InvalidModelException("model from " + source + " failed its warm-up: " + e, e);
    }
    LoadedModel previous = current.getAndSet(candidate);
    modelInfo.register(
        List.of(
            MultiGauge.Row.of(
                Tags.of(
                    "name", candidate.metadata().name(), "version", candidate.metadata().version()),
                1)),
        true);
    meters.counter("inference.model.loads", "outcome", "loaded").increment();
    log.info(
        "serving model {} {} from {} (trained on: {})",
        candidate.metadata().name(),
        candidate.metadata().version(),
        source,
        candidate.metadata().trainingData());
    if (previous != null) {
      previous.classifier().close(); // waits for inferences still running on it
      log.info("closed model {} {}", previous.metadata().name(), previous.metadata().version());
    }
    return candidate;
  }

  /** Counts a refused model for the metrics. */
  void recordRefused() {
    meters.counter("inference.model.loads", "outcome", "refused").increment();
  }

  private void warmUp(LoadedModel model) {
    int length = model.classifier().imageLength();
    for (int run = 0; run < properties.warmupRuns(); run++) {
      int n = run % 2 == 0 ? 1 : 8;
      model.classifier().probabilities(new float[n * length], n);
    }
  }

  @Override
  public void destroy() {
    LoadedModel model = current.getAndSet(null);
    if (model != null) {
      model.classifier().close();
    }
  }

  /** Exposed for the health indicator and tests. */
  public boolean isReady() {
    return current.get() != null;
  }
}
