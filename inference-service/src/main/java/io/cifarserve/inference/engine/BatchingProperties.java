package io.cifarserve.inference.engine;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Server-side dynamic batching, applied by each model's engine to its own queue.
 *
 * @param enabled coalesce concurrent requests into one ONNX Runtime call; when off, each request
 *     runs alone on its own thread
 * @param maxBatchSize most images in one call
 * @param maxQueueDelay longest an image waits for others to join its batch; 0 (the default) runs
 *     whatever is queued as soon as the worker is free, so a lone request never waits
 * @param queueCapacity images waiting at most; beyond it requests get 503 with Retry-After
 * @param requestTimeout longest a request waits for its result before a 503
 */
@ConfigurationProperties("inference.batching")
public record BatchingProperties(
    @DefaultValue("true") boolean enabled,
    @DefaultValue("32") int maxBatchSize,
    @DefaultValue("0ms") Duration maxQueueDelay,
    @DefaultValue("256") int queueCapacity,
    @DefaultValue("30s") Duration requestTimeout) {

  public BatchingProperties {
    if (maxBatchSize < 1 || queueCapacity < 1) {
      throw new IllegalArgumentException("max-batch-size and queue-capacity must be at least 1");
    }
  }
}
