package io.cifarserve.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The batching worker on a model stand-in that can be held mid-call. */
class InferenceQueueTest {

  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final List<List<Float>> batches = new CopyOnWriteArrayList<>();
  private final CountDownLatch firstCallStarted = new CountDownLatch(1);
  private final CountDownLatch releaseFirstCall = new CountDownLatch(1);

  /** Answers each tensor with itself, holding the first call until released. */
  private float[][] run(List<float[]> tensors) {
    batchSizes.add(tensors.size());
    batches.add(tensors.stream().map(tensor -> tensor[0]).toList());
    if (batchSizes.size() == 1) {
      firstCallStarted.countDown();
      try {
        releaseFirstCall.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return tensors.toArray(float[][]::new);
  }

  private InferenceQueue queue(Duration maxQueueDelay) {
    return new InferenceQueue(
        "test",
        this::run,
        new BatchingProperties(true, 8, maxQueueDelay, 64, Duration.ofSeconds(10)),
        new InferenceMetrics(new SimpleMeterRegistry()));
  }

  private static CompletableFuture<List<float[]>> submit(InferenceQueue queue, float value) {
    return CompletableFuture.supplyAsync(() -> queue.classify(List.of(new float[] {value})));
  }

  @Test
  void anIdleWorkerRunsARequestAtOnceAndRequestsThatArriveWhileItIsBusyFormTheNextBatch()
      throws Exception {
    InferenceQueue queue = queue(Duration.ZERO);

    CompletableFuture<List<float[]>> first = submit(queue, 1);
    // The first request runs alone, although the batch could hold 8: nothing waits for company.
    assertThat(firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
    List<CompletableFuture<List<float[]>>> waiting = new java.util.ArrayList<>();
    for (int i = 2; i <= 6; i++) {
      waiting.add(submit(queue, i));
    }
    while (queue.depth() < 5) {
      Thread.onSpinWait();
    }
    releaseFirstCall.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS).get(0)).containsExactly(1f);
    for (int i = 0; i < waiting.size(); i++) {
      assertThat(waiting.get(i).get(10, TimeUnit.SECONDS).get(0)).containsExactly(i + 2f);
    }
    assertThat(batchSizes).containsExactly(1, 5);
    queue.shutdown(Duration.ofSeconds(1));
  }

  @Test
  void aQueueDelayStillLetsALoneRequestWaitForCompany() throws Exception {
    InferenceQueue queue = queue(Duration.ofMillis(300));
    releaseFirstCall.countDown();

    CompletableFuture<List<float[]>> a = submit(queue, 1);
    CompletableFuture<List<float[]>> b = submit(queue, 2);

    assertThat(a.get(10, TimeUnit.SECONDS).get(0)).containsExactly(1f);
    assertThat(b.get(10, TimeUnit.SECONDS).get(0)).containsExactly(2f);
    assertThat(batchSizes).containsExactly(2);
    queue.shutdown(Duration.ofSeconds(1));
  }

  @Test
  void aLonePictureGoesAheadOfTheImagesOfABatchThatArrivedBeforeIt() throws Exception {
    InferenceQueue queue = queue(Duration.ZERO);
    CompletableFuture<List<float[]>> first = submit(queue, 1);
    assertThat(firstCallStarted.await(10, TimeUnit.SECONDS)).isTrue();
    List<float[]> bulk = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      bulk.add(new float[] {100 + i});
    }
    CompletableFuture<List<float[]>> batch =
        CompletableFuture.supplyAsync(() -> queue.classify(bulk));
    while (queue.depth() < 12) {
      Thread.onSpinWait();
    }
    CompletableFuture<List<float[]>> single = submit(queue, 2);
    while (queue.depth() < 13) {
      Thread.onSpinWait();
    }
    releaseFirstCall.countDown();

    assertThat(single.get(10, TimeUnit.SECONDS).get(0)).containsExactly(2f);
    assertThat(batch.get(10, TimeUnit.SECONDS)).hasSize(12);
    first.get(10, TimeUnit.SECONDS);
    // The single picture leads the next batch of 8; the batch's images keep their order.
    assertThat(batches.get(1)).containsExactly(2f, 100f, 101f, 102f, 103f, 104f, 105f, 106f);
    assertThat(batches.get(2)).containsExactly(107f, 108f, 109f, 110f, 111f);
    queue.shutdown(Duration.ofSeconds(1));
  }
}
