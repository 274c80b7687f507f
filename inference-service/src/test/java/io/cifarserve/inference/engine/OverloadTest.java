package io.cifarserve.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.RunningServiceTest;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** A tiny queue and a long batching window: a burst must get 503s, never errors or growth. */
@TestPropertySource(
    properties = {
      "inference.batching.queue-capacity=2",
      "inference.batching.max-batch-size=64",
      "inference.batching.max-queue-delay=500ms"
    })
class OverloadTest extends RunningServiceTest {

  @Test
  void aBurstBeyondTheQueueGets503WithRetryAfterAndTheServiceRecovers() throws Exception {
    byte[] png = TestImages.png(32, 32, Color.RED);
    int requests = 16;
    ExecutorService pool = Executors.newFixedThreadPool(requests);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Response>> futures = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      futures.add(
          pool.submit(
              () -> {
                start.await();
                return client.post("/api/v1/predict", "image/png", png);
              }));
    }
    start.countDown();
    int ok = 0;
    int unavailable = 0;
    for (Future<Response> future : futures) {
      Response response = future.get();
      if (response.status() == 200) {
        ok++;
      } else {
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo("1");
        assertThat(response.json().get("detail").asString()).contains("queue is full");
        unavailable++;
      }
    }
    pool.shutdown();

    assertThat(ok).isPositive();
    assertThat(unavailable).isPositive();
    assertThat(client.post("/api/v1/predict", "image/png", png).status()).isEqualTo(200);
  }
}
