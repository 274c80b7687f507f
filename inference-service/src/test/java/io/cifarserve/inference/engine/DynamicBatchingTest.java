package io.cifarserve.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.RunningServiceTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

@TestPropertySource(
    properties = {
      "inference.batching.max-batch-size=16",
      "inference.batching.max-queue-delay=200ms"
    })
class DynamicBatchingTest extends RunningServiceTest {

  @Autowired MeterRegistry meters;

  @Test
  void coalescesConcurrentRequestsIntoFewerCallsWithTheSameAnswers() throws Exception {
    Color[] colours = {Color.RED, Color.GREEN, Color.BLUE, Color.GRAY};
    List<Response> alone = new ArrayList<>();
    for (Color colour : colours) {
      alone.add(client.post("/api/v1/predict?k=10", "image/png", TestImages.png(32, 32, colour)));
    }
    long callsBefore = meters.get("inference.batch.size").summary().count();
    int requests = 12;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Response>> futures = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      Color colour = colours[i % colours.length];
      futures.add(
          pool.submit(
              () -> {
                start.await();
                return client.post(
                    "/api/v1/predict?k=10", "image/png", TestImages.png(32, 32, colour));
              }));
    }
    start.countDown();
    List<Response> together = new ArrayList<>();
    for (Future<Response> future : futures) {
      together.add(future.get());
    }
    pool.shutdown();

    long calls = meters.get("inference.batch.size").summary().count() - callsBefore;
    assertThat(calls).isLessThan(requests);
    assertThat(meters.get("inference.batch.size").summary().max()).isGreaterThan(1);
    for (int i = 0; i < requests; i++) {
      Response batched = together.get(i);
      assertThat(batched.status()).isEqualTo(200);
      assertThat(batched.json().get("topK").toString())
          .isEqualTo(alone.get(i % colours.length).json().get("topK").toString());
    }
  }
}
