package io.cifarserve.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.TestModelFiles;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Its own service and model file: replacing the file must not reach other tests' services. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class HotReloadTest {

  private static final Path OWN_MODEL = TestModelFiles.colourClassifier();

  @LocalServerPort int port;
  HttpTestClient client;

  @DynamicPropertySource
  static void ownModel(DynamicPropertyRegistry registry) {
    registry.add("inference.model.location", () -> "file:" + OWN_MODEL);
    registry.add("inference.model.warmup-runs", () -> "1");
    registry.add("inference.admin.token", () -> HttpTestClient.ADMIN_TOKEN);
  }

  @BeforeEach
  void ready() {
    client = HttpTestClient.whenReady(port);
  }

  @Test
  void swapsModelsUnderLoadWithoutFailingARequest() throws Exception {
    byte[] png = TestImages.png(32, 32, Color.RED);
    String initial = client.get("/api/v1/model").json().get("version").asString();
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger succeeded = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> versionsSeen = new ConcurrentLinkedQueue<>();
    ExecutorService load = Executors.newFixedThreadPool(4);
    for (int t = 0; t < 4; t++) {
      load.submit(
          () -> {
            while (running.get()) {
              Response r = client.post("/api/v1/predict", "image/png", png);
              if (r.status() == 200) {
                succeeded.incrementAndGet();
                versionsSeen.add(r.json().at("/model/version").asString());
              } else {
                failures.add(r.status() + " " + r.body());
              }
            }
          });
    }
    await().until(() -> succeeded.get() > 20);

    for (String version : List.of("2", "3", "4")) {
      Response swap =
          client
              .asAdmin()
              .put("/admin/model", "application/octet-stream", TestModelFiles.version(version));
      assertThat(swap.status()).isEqualTo(200);
      assertThat(swap.json().get("version").asString()).isEqualTo(version);
      int before = succeeded.get();
      await().until(() -> succeeded.get() > before + 10);
    }
    running.set(false);
    load.shutdown();
    load.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);

    assertThat(failures).isEmpty();
    assertThat(versionsSeen).contains(initial, "4");
    assertThat(client.get("/api/v1/model").json().get("version").asString()).isEqualTo("4");
  }

  @Test
  void refusesABadModelAndKeepsServingTheCurrentOne() {
    String before = client.get("/api/v1/model").json().get("version").asString();

    Response refused =
        client.asAdmin().put("/admin/model", "application/octet-stream", "not a model".getBytes());

    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("detail").asString()).contains("not a usable cifar-serve model");
    assertThat(client.get("/api/v1/model").json().get("version").asString()).isEqualTo(before);
    assertThat(
            client.post("/api/v1/predict", "image/png", TestImages.png(8, 8, Color.RED)).status())
        .isEqualTo(200);
  }

  @Test
  void reloadsWhenTheModelFileIsReplaced() throws Exception {
    assertThat(client.get("/api/v1/model").json().get("source").asString())
        .isEqualTo("file:" + OWN_MODEL);
    var staged =
        Files.write(OWN_MODEL.resolveSibling("staged.onnx"), TestModelFiles.version("from-file"));
    Files.move(
        staged, OWN_MODEL, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.get("/api/v1/model").json().get("version").asString().equals("from-file"));
    assertThat(
            client
                .asAdmin()
                .post("/admin/model/reload", "application/json", new byte[0])
                .json()
                .get("version")
                .asString())
        .isEqualTo("from-file");
  }
}
