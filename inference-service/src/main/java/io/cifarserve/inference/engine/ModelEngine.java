package io.cifarserve.inference.engine;

import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.api.CalibrationInfo;
import io.cifarserve.common.api.ModelInfo;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.model.ModelMetadata;
import io.micrometer.core.instrument.Meter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One loaded model and everything that serves it: its ONNX Runtime session, the preprocessing and
 * labels its metadata names, and its own bounded queue and batching worker. Nothing else runs the
 * session, so the labels and normalisation a response uses are always those of the model that
 * computed it.
 *
 * <p>A request takes a {@link Lease} and keeps it until it has answered. Closing the engine refuses
 * new leases, waits for the leased work to finish, then closes the session: a model swap never
 * fails or mislabels a request that had already picked the old model.
 */
public final class ModelEngine implements AutoCloseable {

  private static final AtomicLong LOADS = new AtomicLong();

  private final OnnxClassifier classifier;
  private final long sequence = LOADS.incrementAndGet();
  private final ImagePreprocessor preprocessor;
  private final String source;
  private final Instant loadedAt;
  private final InferenceQueue queue;
  private final Duration drainTimeout;
  private final Object leaseLock = new Object();
  private final InferenceMetrics metrics;
  private final PredictionDrift drift;
  private final Meter driftGauge;
  private int leases;
  private boolean closing;

  private ModelEngine(
      OnnxClassifier classifier,
      String source,
      BatchingProperties batching,
      InferenceMetrics metrics) {
    this.classifier = classifier;
    this.preprocessor = ImagePreprocessor.forModel(classifier.metadata());
    this.source = source;
    this.loadedAt = Instant.now();
    this.drainTimeout = batching.requestTimeout().plusSeconds(5);
    this.metrics = metrics;
    ModelMetadata m = classifier.metadata();
    this.drift = new PredictionDrift(m);
    this.driftGauge = metrics.drift(m.name(), m.version(), drift);
    this.queue =
        new InferenceQueue(
            classifier.metadata().name() + "-" + classifier.metadata().version(),
            classifier::logits,
            batching,
            metrics);
  }

  /**
   * Builds an engine on a loaded session and warms it up ({@code warmupRuns} calls at batch 1 and
   * 8), so its first request does not pay for ONNX Runtime's lazy initialisation. On failure the
   * session is closed.
   */
  public static ModelEngine start(
      OnnxClassifier classifier,
      String source,
      BatchingProperties batching,
      InferenceMetrics metrics,
      int warmupRuns) {
    ModelEngine engine = new ModelEngine(classifier, source, batching, metrics);
    try {
      int length = classifier.imageLength();
      for (int run = 0; run < warmupRuns; run++) {
        int n = run % 2 == 0 ? 1 : 8;
        classifier.logits(new float[n * length], n);
      }
      return engine;
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  public ModelMetadata metadata() {
    return classifier.metadata();
  }

  /** The preprocessing this model was trained with: input size, mean and standard deviation. */
  public ImagePreprocessor preprocessor() {
    return preprocessor;
  }

  public String source() {
    return source;
  }

  /** Load order across all engines: a later load has a larger number. */
  public long sequence() {
    return sequence;
  }

  /**
   * Counts one answer this model gave a client (not the explanation's occluded copies): its class,
   * top probability and whether it was unsure, by model and version, and the class in the drift
   * window.
   */
  public void record(PredictionResponse answer) {
    ModelMetadata m = metadata();
    metrics.prediction(
        m.name(), m.version(), answer.label(), answer.probability(), answer.unsure());
    drift.record(answer.classIndex());
  }

  /** Images waiting in this engine's queue. */
  public int queueDepth() {
    return queue.depth();
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
        CalibrationInfo.of(m.calibration()),
        source,
        loadedAt);
  }

  /** A lease on this engine, or empty once it is closing. */
  public Optional<Lease> tryLease() {
    synchronized (leaseLock) {
      if (closing) {
        return Optional.empty();
      }
      leases++;
      return Optional.of(new Lease());
    }
  }

  /** Refuses new leases, lets leased work finish (within the request timeout), then closes. */
  @Override
  public void close() {
    synchronized (leaseLock) {
      closing = true;
      long deadline = System.nanoTime() + drainTimeout.toNanos();
      try {
        while (leases > 0 && System.nanoTime() < deadline) {
          leaseLock.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      queue.shutdown(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    metrics.remove(driftGauge);
    classifier.close(); // also waits for any call still running on the session
  }

  /** A request's hold on the engine it picked: classify through it, then close it. */
  public final class Lease implements AutoCloseable {

    private boolean released;

    private Lease() {}

    public ModelEngine engine() {
      return ModelEngine.this;
    }

    /**
     * Logits for each preprocessed tensor, in order, by this engine's model; its metadata's
     * calibration turns them into probabilities.
     *
     * @throws io.cifarserve.inference.problem.OverloadedException the engine's queue is full or the
     *     result took too long
     */
    public List<float[]> logits(List<float[]> tensors) {
      return queue.classify(tensors);
    }

    @Override
    public void close() {
      synchronized (leaseLock) {
        if (!released) {
          released = true;
          leases--;
          leaseLock.notifyAll();
        }
      }
    }
  }
}
