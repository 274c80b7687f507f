package io.cifarserve.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.TestModelFiles;
import java.awt.Color;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/** No model at the configured location: alive, not ready, 503 with Retry-After, until one comes. */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "inference.model.location=file:/nonexistent/model.onnx",
      // Loads the model below over loopback without a token, as a local operator would.
      "inference.admin.local-without-token=true"
    })
@DirtiesContext
class ReadinessTest {

  @LocalServerPort int port;

  @Test
  void staysNotReadyUntilAModelIsLoaded() {
    HttpTestClient client = new HttpTestClient(port);

    assertThat(client.get("/actuator/health/liveness").status()).isEqualTo(200);
    assertThat(client.get("/actuator/health/readiness").status()).isEqualTo(503);
    assertThat(client.get("/v2/health/live").status()).isEqualTo(200);
    Response notReady = client.get("/v2/health/ready");
    assertThat(notReady.status()).isEqualTo(503);
    assertThat(notReady.json().get("ready").asBoolean()).isFalse();
    Response predict = client.post("/api/v1/predict", "image/png", TestImages.png(8, 8, Color.RED));
    assertThat(predict.status()).isEqualTo(503);
    assertThat(predict.header("Retry-After")).isEqualTo("5");
    assertThat(predict.json().get("detail").asString()).contains("still loading");

    Response loaded =
        client.put("/admin/model", "application/octet-stream", TestModelFiles.version("1"));

    assertThat(loaded.status()).isEqualTo(200);
    await().until(() -> client.get("/actuator/health/readiness").status() == 200);
    assertThat(client.get("/v2/health/ready").status()).isEqualTo(200);
  }
}
