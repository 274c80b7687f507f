package io.cifarserve.inference.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.testing.TestImages;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.OipRequests;
import io.cifarserve.onnxgraph.TestModels;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A model folder: two versions of the colour classifier and a second model whose labels run in
 * reverse, served at once, each chosen by name and version on both APIs.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MultiModelTest {

  private static final String COLOURS = "test-colour-classifier";
  private static final String REVERSED = "reversed-colours";
  private static final Path FOLDER = folder();
  private static final byte[] RED = TestImages.png(32, 32, Color.RED);

  @LocalServerPort int port;
  HttpTestClient client;

  private static ModelMetadata reversed(String version) {
    return TestMetadata.reversedColourClassifierMetadata(
        REVERSED, version, Cifar10.MEAN, Cifar10.STD);
  }

  private static Path folder() {
    try {
      Path folder = Files.createTempDirectory("inference-models");
      Files.createDirectories(folder.resolve("colours"));
      Files.createDirectories(folder.resolve("reversed"));
      Files.write(
          folder.resolve("colours/1.onnx"),
          TestModels.colourClassifier(TestMetadata.colourClassifierMetadata("1", 32)));
      Files.write(
          folder.resolve("colours/2.onnx"),
          TestModels.colourClassifier(TestMetadata.colourClassifierMetadata("2", 32)));
      Files.write(folder.resolve("reversed/r1.onnx"), TestModels.colourClassifier(reversed("r1")));
      return folder;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @DynamicPropertySource
  static void models(DynamicPropertyRegistry registry) {
    registry.add("inference.model.location", () -> "file:" + FOLDER);
    registry.add("inference.model.default-name", () -> COLOURS);
    registry.add("inference.model.warmup-runs", () -> "1");
    registry.add("inference.admin.token", () -> HttpTestClient.ADMIN_TOKEN);
    registry.add("inference.model.intra-op-threads", () -> "1");
  }

  @BeforeEach
  void waitUntilReady() {
    client = HttpTestClient.whenReady(port);
    await(() -> client.get("/api/v1/models").json().get("models").size() == 3);
  }

  private static void await(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 15 s").isLessThan(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private Response predict(String query) {
    return client.post("/api/v1/predict" + query, "image/png", RED);
  }

  private static String modelOf(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().at("/model/name").asString()
        + " "
        + response.json().at("/model/version").asString();
  }

  @Test
  void listsEveryModelWithTheDefaultFirstInItsName() {
    Response models = client.get("/api/v1/models");

    assertThat(models.json().get("defaultModel").asString()).isEqualTo(COLOURS);
    List<String> served = new ArrayList<>();
    models
        .json()
        .get("models")
        .forEach(m -> served.add(m.get("name").asString() + " " + m.get("version").asString()));
    assertThat(served).containsExactly(COLOURS + " 1", COLOURS + " 2", REVERSED + " r1");
  }

  @Test
  void eachRequestGetsTheModelAndVersionItNames() {
    assertThat(modelOf(predict(""))).isEqualTo(COLOURS + " 2");
    assertThat(modelOf(predict("?model=" + COLOURS + "&version=1"))).isEqualTo(COLOURS + " 1");
    Response reversed = predict("?model=" + REVERSED);
    assertThat(modelOf(reversed)).isEqualTo(REVERSED + " r1");
    assertThat(reversed.json().get("label").asString()).isEqualTo("truck");
    assertThat(predict("").json().get("label").asString()).isEqualTo("airplane");
    assertThat(client.get("/api/v1/model?model=" + REVERSED).json().get("labels").get(0).asString())
        .isEqualTo("truck");

    Response missing = predict("?model=nope");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("detail").asString())
        .contains("'nope'")
        .contains(REVERSED + " r1");
    assertThat(predict("?model=" + COLOURS + "&version=9").status()).isEqualTo(404);
  }

  @Test
  void theOpenInferenceProtocolChoosesByPathToo() {
    Map<String, Object> request = OipRequests.images(RED);
    Response reversed = client.postJson("/v2/models/" + REVERSED + "/infer", request);
    assertThat(reversed.status()).as(reversed.body()).isEqualTo(200);
    assertThat(reversed.json().get("model_name").asString()).isEqualTo(REVERSED);
    Response v1 = client.postJson("/v2/models/" + COLOURS + "/versions/1/infer", request);
    assertThat(v1.json().get("model_version").asString()).isEqualTo("1");
    assertThat(client.get("/v2/models/" + REVERSED).status()).isEqualTo(200);
    assertThat(client.get("/v2/models/nope").status()).isEqualTo(404);
  }

  @Test
  void adminLoadsAndUnloadsOneModelVersionAndTheFolderIsWatched() throws Exception {
    byte[] v3 = TestModels.colourClassifier(TestMetadata.colourClassifierMetadata("3", 32));
    Response uploaded =
        client.asAdmin().put("/admin/models/" + COLOURS, "application/octet-stream", v3);
    assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(200);
    assertThat(modelOf(predict(""))).isEqualTo(COLOURS + " 3");
    assertThat(
            client
                .asAdmin()
                .put("/admin/models/" + REVERSED, "application/octet-stream", v3)
                .status())
        .isEqualTo(422);

    assertThat(client.asAdmin().delete("/admin/models/" + COLOURS + "/versions/3").status())
        .isEqualTo(200);
    assertThat(modelOf(predict(""))).isEqualTo(COLOURS + " 2");
    assertThat(modelOf(predict("?model=" + REVERSED))).isEqualTo(REVERSED + " r1");

    // A file added to the folder is served; a file removed is no longer.
    Path added = FOLDER.resolve("reversed/r2.onnx");
    Files.write(added, TestModels.colourClassifier(reversed("r2")));
    await(() -> predict("?model=" + REVERSED + "&version=r2").status() == 200);
    Files.delete(added);
    await(() -> predict("?model=" + REVERSED + "&version=r2").status() == 404);
    assertThat(modelOf(predict("?model=" + REVERSED))).isEqualTo(REVERSED + " r1");
  }
}
