package io.cifarserve.inference.engine;

import io.cifarserve.inference.problem.OverloadedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One engine's admission bound and batching worker. With batching on, images wait in a bounded
 * queue and one worker runs them together. The worker is work-conserving: an image that finds it
 * idle runs at once, and images that arrive while it is busy form the next batch, up to {@code
 * max-batch-size}, waiting {@code max-queue-delay} (0 by default) for more. With batching off, each
 * request runs on its own thread. Either way at most {@code queue-capacity} images are admitted;
 * beyond that a request gets {@link OverloadedException} (503) at once.
 */
final class InferenceQueue {

  private static final Logger log = LoggerFactory.getLogger(InferenceQueue.class);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final Function<List<float[]>, float[][]> run;
  private final BatchingProperties properties;
  private final InferenceMetrics metrics;
  private final BlockingQueue<Job> queue;
  private final Semaphore admitted;
  private final Thread worker;
  private volatile boolean running = true;

  /**
   * One image's tensor, waiting for its logits. A lone picture goes ahead of the images of larger
   * requests, so that a batch of 64 never makes a single picture wait for all of it; within each
   * kind, arrival order.
   */
  private record Job(
      float[] tensor,
      CompletableFuture<float[]> result,
      long enqueuedNanos,
      boolean alone,
      long arrival) {}

  private static final Comparator<Job> ORDER =
      Comparator.comparing((Job job) -> !job.alone()).thenComparingLong(Job::arrival);

  private final AtomicLong arrivals = new AtomicLong();

  InferenceQueue(
      String name,
      Function<List<float[]>, float[][]> run,
      BatchingProperties properties,
      InferenceMetrics metrics) {
    this.run = run;
    this.properties = properties;
    this.metrics = metrics;
    // Bounded by the admission permits: at most queue-capacity images are ever in it.
    this.queue = new PriorityBlockingQueue<>(properties.queueCapacity(), ORDER);
    this.admitted = new Semaphore(properties.queueCapacity());
    this.worker = new Thread(this::work, "inference-batcher-" + name);
    this.worker.setDaemon(true);
    if (properties.enabled()) {
      worker.start();
    }
  }

  int depth() {
    return queue.size();
  }

  /**
   * Probabilities for each tensor, in order; blocks until they are ready.
   *
   * @throws OverloadedException the queue is full or the result took too long
   */
  List<float[]> classify(List<float[]> tensors) {
    if (!running || !admitted.tryAcquire(tensors.size())) {
      throw new OverloadedException(
          "the inference queue is full (%d images); retry shortly"
              .formatted(properties.queueCapacity()),
          RETRY_AFTER);
    }
    if (!properties.enabled()) {
      try {
        return List.of(timed(tensors));
      } finally {
        admitted.release(tensors.size());
      }
    }
    List<CompletableFuture<float[]>> futures = new ArrayList<>();
    for (float[] tensor : tensors) {
      Job job =
          new Job(
              tensor,
              new CompletableFuture<>(),
              System.nanoTime(),
              tensors.size() == 1,
              arrivals.incrementAndGet());
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

  private float[][] timed(List<float[]> tensors) {
    metrics.batchSize(tensors.size());
    return metrics.ortTime().record(() -> run.apply(tensors));
  }

  private static float[] await(CompletableFuture<float[]> future, long deadlineNanos) {
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
        // Whatever arrived while the last batch ran joins without waiting.
        queue.drainTo(batch, properties.maxBatchSize() - 1);
        long deadline =
            batch.stream().mapToLong(Job::enqueuedNanos).min().orElseThrow()
                + properties.maxQueueDelay().toNanos();
        while (batch.size() < properties.maxBatchSize() && System.nanoTime() < deadline) {
          Job next = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
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
      float[][] results = timed(batch.stream().map(Job::tensor).toList());
      for (int i = 0; i < batch.size(); i++) {
        batch.get(i).result().complete(results[i]);
      }
    } catch (RuntimeException e) {
      log.warn("batch of {} failed: {}", batch.size(), e.getMessage());
      batch.forEach(job -> job.result().completeExceptionally(e));
    }
  }

  /** Stops admitting; images already queued are still answered before this returns. */
  void shutdown(Duration wait) throws InterruptedException {
    running = false;
    if (worker.isAlive()) {
      worker.join(wait.toMillis());
    }
  }
}
