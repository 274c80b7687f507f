package io.cifarserve.inference.model;

import io.cifarserve.common.onnx.InvalidModelException;
import io.cifarserve.common.onnx.OnnxClassifier;
import io.cifarserve.inference.engine.BatchingProperties;
import io.cifarserve.inference.engine.InferenceMetrics;
import io.cifarserve.inference.engine.ModelEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Holds the engine of the model being served and swaps it atomically. A new model gets a new
 * engine, loaded and warmed up before it replaces the old one; a model that fails to load is
 * refused and the old one keeps serving. The old engine finishes the requests it leased, then
 * closes.
 */
@Component
public class ModelRegistry implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  private final AtomicReference<ModelEngine> current = new AtomicReference<>();
  private final ModelProperties properties;
  private final BatchingProperties batching;
  private final InferenceMetrics metrics;
  private final MultiGauge modelInfo;
  private final MeterRegistry meters;

  public ModelRegistry(
      ModelProperties properties,
      BatchingProperties batching,
      InferenceMetrics metrics,
      MeterRegistry meters) {
    this.properties = properties;
    this.batching = batching;
    this.metrics = metrics;
    this.meters = meters;
    this.modelInfo =
        MultiGauge.builder("inference.model.info")
            .description("The model being served (value 1), labelled with its name and version")
            .register(meters);
    metrics.queueDepth(() -> current().map(ModelEngine::queueDepth).orElse(0));
  }

  public Optional<ModelEngine> current() {
    return Optional.ofNullable(current.get());
  }

  /**
   * The engine being served, for reading its metadata; throws {@link ModelNotReadyException} while
   * none is loaded. To classify, take a {@link #lease()}.
   */
  public ModelEngine require() {
    ModelEngine engine = current.get();
    if (engine == null) {
      throw new ModelNotReadyException();
    }
    return engine;
  }

  /**
   * A lease on the engine being served: the request's model for as long as it holds the lease, even
   * if another model is swapped in meanwhile.
   */
  public ModelEngine.Lease lease() {
    while (true) {
      Optional<ModelEngine.Lease> lease = require().tryLease();
      if (lease.isPresent()) {
        return lease.get();
      }
      // Lost a race with a swap: the engine read was closing; the next read is its successor.
      Thread.onSpinWait();
    }
  }

  /**
   * Loads, checks and warms up a model in a new engine, then makes it current.
   *
   * @throws InvalidModelException the bytes are not a usable model; the current one stays
   */
  public synchronized ModelEngine load(byte[] onnx, String source) {
    OnnxClassifier classifier = OnnxClassifier.load(onnx, properties.intraOpThreads());
    ModelEngine candidate;
    try {
      candidate = ModelEngine.start(classifier, source, batching, metrics, properties.warmupRuns());
    } catch (RuntimeException e) {
      throw new InvalidModelException("model from " + source + " failed its warm-up: " + e, e);
    }
    ModelEngine previous = current.getAndSet(candidate);
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
      previous.close(); // waits for the requests that leased it
      log.info("closed model {} {}", previous.metadata().name(), previous.metadata().version());
    }
    return candidate;
  }

  /** Counts a refused model for the metrics. */
  void recordRefused() {
    meters.counter("inference.model.loads", "outcome", "refused").increment();
  }

  @Override
  public void destroy() {
    ModelEngine engine = current.getAndSet(null);
    if (engine != null) {
      engine.close();
    }
  }

  /** Exposed for the health indicator and tests. */
  public boolean isReady() {
    return current.get() != null;
  }
}
