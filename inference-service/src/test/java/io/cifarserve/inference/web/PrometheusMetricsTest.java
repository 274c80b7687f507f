package io.cifarserve.inference.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.RunningServiceTest;
import java.awt.Color;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class PrometheusMetricsTest extends RunningServiceTest {

  private String scrapeAfterTraffic() {
    client.post("/api/v1/predict", "image/png", TestImages.png(32, 32, Color.RED));
    client.post("/api/v1/predict", "text/plain", "x".getBytes(StandardCharsets.UTF_8));
    client.post(
        "/api/v1/predict", "image/png", TestImages.truncated(TestImages.png(64, 64, Color.RED)));
    Response scrape = client.get("/actuator/prometheus");
    assertThat(scrape.status()).isEqualTo(200);
    return scrape.body();
  }

  @Test
  void exposesLatencyHistogramsAndInferenceMeters() {
    String metrics = scrapeAfterTraffic();

    assertThat(metrics)
        .contains("http_server_requests_seconds_bucket{")
        .contains("inference_ort_duration_seconds_bucket{")
        .contains("inference_queue_wait_seconds_bucket{")
        .contains("inference_batch_size_bucket{")
        .contains("inference_queue_depth{")
        .containsPattern("inference_predictions_total\\{[^}]*class=\"airplane\"")
        .containsPattern("inference_errors_total\\{[^}]*type=\"corrupt-image\"")
        .containsPattern("inference_errors_total\\{[^}]*type=\"http-415\"")
        .containsPattern(
            "inference_model_info\\{[^}]*name=\"test-colour-classifier\"[^}]*version=\"1\"[^}]*\\} 1")
        .containsPattern(
            "inference_predictions_total\\{[^}]*model=\"test-colour-classifier\"[^}]*version=\"1\"")
        .containsPattern(
            "inference_prediction_probability_bucket\\{[^}]*model=\"test-colour-classifier\"[^}]*le=\"0\\.9\"")
        .containsPattern(
            "inference_prediction_drift\\{[^}]*model=\"test-colour-classifier\"[^}]*\\} NaN")
        .containsPattern("inference_input_pixels_count\\{[^}]*format=\"png\"")
        .containsPattern(
            "inference_predictions_unsure_total\\{[^}]*model=\"test-colour-classifier\"[^}]*\\} 0\\.0")
        .containsPattern("inference_model_ready\\{[^}]*\\} 1\\.0");
  }

  @Test
  void exposesLintCleanMetrics() throws Exception {
    File promtool = new File("/usr/bin/promtool");
    if (System.getenv("CI") != null) {
      assertThat(promtool).as("CI installs prometheus for promtool").exists();
    }
    Assumptions.assumeTrue(promtool.canExecute(), "promtool not installed");
    String metrics = scrapeAfterTraffic();

    Process check = new ProcessBuilder(promtool.getPath(), "check", "metrics").start();
    check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
    check.getOutputStream().close();
    String findings =
        new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
            + new String(check.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(findings).isEmpty();
    assertThat(check.exitValue()).isZero();
  }
}
