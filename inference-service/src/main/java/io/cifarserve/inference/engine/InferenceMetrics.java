package io.cifarserve.inference.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
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
    io.micrometer.core.instrument.Gauge.builder("inference.queue.depth", depth)
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

  public void prediction(String label) {
    Counter.builder("inference.predictions")
        .description("Predictions by predicted class")
        .tag("class", label)
        .register(registry)
        .increment();
  }

  public void error(String type) {
    Counter.builder("inference.errors")
        .description("Refused or failed requests by error type")
        .tag("type", type)
        .register(registry)
        .increment();
  }
}
