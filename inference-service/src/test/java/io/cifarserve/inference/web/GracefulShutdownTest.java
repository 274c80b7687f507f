package io.cifarserve.inference.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.ServiceProcess;
import io.cifarserve.inference.support.TestModelFiles;
import java.awt.Color;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM with a request in flight, as Cloud Run stops an instance: the request completes and the
 * process exits well within Cloud Run's 10 seconds.
 */
class GracefulShutdownTest {

  @Test
  void finishesTheRequestInFlightAndExitsQuickly() throws Exception {
    try (ServiceProcess service =
        ServiceProcess.start(
            Map.of(
                "MODEL_PATH", "file:" + TestModelFiles.colourClassifier(),
                // A long batching window keeps the request in flight while the signal arrives.
                "INFERENCE_BATCHING_MAX_QUEUE_DELAY", "2s",
                "INFERENCE_BATCHING_MAX_BATCH_SIZE", "64"))) {
      HttpTestClient client = HttpTestClient.whenReady(service.port());
      CompletableFuture<HttpTestClient.Response> inFlight =
          CompletableFuture.supplyAsync(
              () -> client.post("/api/v1/predict", "image/png", TestImages.png(32, 32, Color.RED)));
      Thread.sleep(500);
      assertThat(inFlight).isNotDone();

      long signalled = System.nanoTime();
      boolean exited = service.terminate(10, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - signalled) / 1e9;

      assertThat(exited).isTrue();
      assertThat(seconds).isLessThan(10);
      HttpTestClient.Response response = inFlight.get(5, TimeUnit.SECONDS);
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.json().get("label").asString()).isEqualTo("airplane");
    }
  }
}
