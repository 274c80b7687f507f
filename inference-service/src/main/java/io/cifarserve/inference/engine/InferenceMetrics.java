package io.cifarserve.inference.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** The service's own meters; HTTP latency comes from Spring's http.server.requests. */
@Component
public class InferenceMetrics {

  private final MeterRegistry registry;
  private final Timer ortTime;
  private final Timer queueWait;
  private final DistributionSummary batchSize;

  public InferenceMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.ortTime =
        Timer.builder("inference.ort.duration")
            .description("Time ONNX Runtime takes for one batch")
            .publishPercentileHistogram()
            .register(registry);
    this.queueWait =
        Timer.builder("inference.queue.wait")
            .description("Time an image waits in the batching queue")
            .publishPercentileHistogram()
            .register(registry);
    this.batchSize =
        DistributionSummary.builder("inference.batch.size")
            .description("Images per ONNX Runtime call")
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
            .register(registry);
  }

  public void queueDepth(Supplier<Number> depth) {
    Gauge.builder("inference.queue.depth", depth)
        .description("Images waiting to be batched")
        .register(registry);
  }

  public Timer ortTime() {
    return ortTime;
  }

  public void queueWait(long nanos) {
    queueWait.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  public void batchSize(int size) {
    batchSize.record(size);
  }

  /** One answer of a model: its class, and how sure the model was. */
  void prediction(String model, String version, String label, double probability, boolean unsure) {
    Counter.builder("inference.predictions")
        .description("Predictions by predicted class")
        .tag("class", label)
        .tag("model", model)
        .tag("version", version)
        .register(registry)
        .increment();
    // Registered at the first answer, so the unsure share reads 0 rather than no data.
    Counter unsureAnswers =
        Counter.builder("inference.predictions.unsure")
            .description("Answers given as unsure (confidence score under the model's threshold)")
            .tag("model", model)
            .tag("version", version)
            .register(registry);
    if (unsure) {
      unsureAnswers.increment();
    }
    DistributionSummary.builder("inference.prediction.probability")
        .description("The top class's probability of each answer, per model")
        .tag("model", model)
        .tag("version", version)
        .serviceLevelObjectives(0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
        .register(registry)
        .record(probability);
  }

  /** A model's drift score, while it is served; the returned gauge is removed when it is not. */
  Meter drift(String model, String version, PredictionDrift drift) {
    return Gauge.builder("inference.prediction.drift", drift, PredictionDrift::score)
        .description(
            "Population stability index of the last 1000 predicted classes against the model's"
                + " test set (NaN before 100)")
        .tag("model", model)
        .tag("version", version)
        .register(registry);
  }

  void remove(Meter meter) {
    registry.remove(meter);
  }

  public void error(String type) {
    Counter.builder("inference.errors")
        .description("Refused or failed requests by error type")
        .tag("type", type)
        .register(registry)
        .increment();
  }
}
