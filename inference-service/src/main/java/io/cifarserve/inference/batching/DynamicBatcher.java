package io.cifarserve.inference.batching;

import io.cifarserve.common.onnx.ClassifierClosedException;
import io.cifarserve.common.onnx.OnnxClassifier;
import io.cifarserve.inference.model.LoadedModel;
import io.cifarserve.inference.model.ModelRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Runs images through the current model. With batching on, images from concurrent requests wait in
 * a bounded queue and a single worker runs them together, up to {@code max-batch-size} images or
 * {@code max-queue-delay} after the first arrived. With batching off, each request runs on its own
 * thread, at most {@code queue-capacity} at once. Either way a full service answers 503 instead of
 * queueing without bound.
 */
@Component
public class DynamicBatcher implements DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(DynamicBatcher.class);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final ModelRegistry models;
  private final BatchingProperties properties;
  private final InferenceMetrics metrics;
  private final BlockingQueue<Job> queue;
  private final Semaphore admitted;
  private final Thread worker;
  private volatile boolean running = true;

  /** One image's tensor, waiting for its probabilities. */
  private record Job(float[] tensor, CompletableFuture<float[]> result, long enqueuedNanos) {}

  public DynamicBatcher(
      ModelRegistry models, BatchingProperties properties, InferenceMetrics metrics) {
    this.models = models;
    this.properties = properties;
    this.metrics = metrics;
    this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
    this.admitted = new Semaphore(properties.queueCapacity());
    metrics.queueDepth(queue::size);
    this.worker = new Thread(this::work, "inference-batcher");
    this.worker.setDaemon(true);
    if (properties.enabled()) {
      worker.start();
    }
  }

  /**
   * Probabilities for each tensor, in order; blocks until they are ready.
   *
   * @throws OverloadedException the queue is full or the result took too long
   */
  public List<float[]> classify(List<float[]> tensors) {
    if (!running || !admitted.tryAcquire(tensors.size())) {
      throw new OverloadedException(
          "the inference queue is full (%d images); retry shortly"
              .formatted(properties.queueCapacity()),
          RETRY_AFTER);
    }
    if (!properties.enabled()) {
      try {
        return direct(tensors);
      } finally {
        admitted.release(tensors.size());
      }
    }
    return viaQueue(tensors);
  }

  private List<float[]> viaQueue(List<float[]> tensors) {
    List<CompletableFuture<float[]>> futures = new ArrayList<>();
    for (float[] tensor : tensors) {
      Job job = new Job(tensor, new CompletableFuture<>(), System.nanoTime());
      // A permit per image, returned when it is answered, even after its caller gave up.
      job.result().whenComplete((result, error) -> admitted.release());
      queue.add(job); // cannot overflow: the queue holds as many images as there are permits
      futures.add(job.result());
    }
    long deadline = System.nanoTime() + properties.requestTimeout().toNanos();
    List<float[]> results = new ArrayList<>();
    for (CompletableFuture<float[]> future : futures) {
      results.add(await(future, deadline));
    }
    return results;
  }

  private List<float[]> direct(List<float[]> tensors) {
    List<float[]> results = new ArrayList<>();
    for (float[] tensor : tensors) {
      results.add(run(List.of(tensor)).get(0));
    }
    return results;
  }

  private float[] await(CompletableFuture<float[]> future, long deadlineNanos) {
    try {
      return future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new OverloadedException("inference took too long; retry shortly", RETRY_AFTER);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OverloadedException("interrupted while waiting for inference", RETRY_AFTER);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void work() {
    List<Job> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Job first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        long deadline = first.enqueuedNanos() + properties.maxQueueDelay().toNanos();
        while (batch.size() < properties.maxBatchSize()) {
          Job next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        runBatch(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } finally {
        batch.clear();
      }
    }
  }

  private void runBatch(List<Job> batch) {
    long now = System.nanoTime();
    batch.forEach(job -> metrics.queueWait(now - job.enqueuedNanos()));
    try {
      List<float[]> results = run(batch.stream().map(Job::tensor).toList());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(results.get(i));
      }
    } catch (RuntimeException e) {
      log.warn("batch of {} failed: {}", batch.size(), e.getMessage());
      batch.forEach(job -> job.result().completeExceptionally(e));
    }
  }

  /** One ONNX Runtime call on the current model. */
  private List<float[]> run(List<float[]> tensors) {
    LoadedModel model = models.require();
    try {
      return runOn(model.classifier(), tensors);
    } catch (ClassifierClosedException closed) {
      // The model was swapped between picking it and running it: run on the new one.
      LoadedModel replacement = models.require();
      if (replacement == model) {
        throw closed;
      }
      return runOn(replacement.classifier(), tensors);
    }
  }

  private List<float[]> runOn(OnnxClassifier classifier, List<float[]> tensors) {
    if (tensors.stream().anyMatch(t -> t.length != classifier.imageLength())) {
      // Preprocessed for the previous model's input size.
      throw new OverloadedException(
          "the model changed while the request waited; retry", Duration.ZERO);
    }
    metrics.batchSize(tensors.size());
    float[][] probabilities = metrics.ortTime().record(() -> classifier.probabilities(tensors));
    return List.of(probabilities);
  }

  /** Stops taking work; images already queued are still answered. */
  @Override
  public void destroy() throws InterruptedException {
    running = false;
    worker.join(Duration.ofSeconds(5).toMillis());
  }
}
