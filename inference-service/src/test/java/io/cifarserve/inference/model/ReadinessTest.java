package io.cifarserve.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.TestModelFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An empty model folder: alive, not ready, 503 with Retry-After, until a model comes. (A location
 * that does not exist at all stops start-up instead: {@link ModelLocationTest}.)
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      // Loads the model below over loopback without a token, as a local operator would.
      "inference.admin.local-without-token=true"
    })
@DirtiesContext
class ReadinessTest {

  @LocalServerPort int port;

  @DynamicPropertySource
  static void emptyModelFolder(DynamicPropertyRegistry registry) throws IOException {
    Path empty = Files.createTempDirectory("inference-no-models");
    registry.add("inference.model.location", empty::toString);
  }

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
