package io.cifarserve.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.ServiceProcess;
import io.cifarserve.mlflow.FakeMlflowServer;
import io.cifarserve.onnxgraph.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Serving {@code MODEL_PATH=models:/NAME@champion} from MLflow's registry, against a local server
 * that checks every request against MLflow's API definitions: the download through the artifact
 * proxy, a hot reload when the alias moves, a refused version, and the start-up refusals.
 */
class RegistryModelTest {

  private static final String NAME =
      TestMetadata.colourClassifierMetadata("1", Cifar10.IMAGE_SIZE).name();

  @TempDir Path cache;

  private static byte[] model(String version) {
    return TestModels.colourClassifier(
        TestMetadata.colourClassifierMetadata(version, Cifar10.IMAGE_SIZE));
  }

  @Test
  void servesTheChampionAndFollowsTheAliasWhenItMoves() throws Exception {
    try (FakeMlflowServer mlflow = FakeMlflowServer.start()) {
      mlflow.publish(NAME, "champion", model("first"));
      try (ServiceProcess service =
          ServiceProcess.start(
              Map.of(
                  "MODEL_PATH",
                  "models:/" + NAME + "@champion",
                  "MLFLOW_TRACKING_URI",
                  mlflow.uri().toString(),
                  "INFERENCE_MODEL_REGISTRYPOLL",
                  "500ms",
                  "INFERENCE_MODEL_REGISTRYCACHE",
                  cache.toString()))) {
        HttpTestClient client = HttpTestClient.whenReady(service.port());
        assertThat(servedVersion(client)).isEqualTo("first");

        mlflow.publish(NAME, "champion", model("second"));
        awaitVersion(client, "second", service);

        mlflow.publish(NAME, "champion", new byte[] {1, 2, 3});
        Thread.sleep(2_000);
        assertThat(servedVersion(client)).isEqualTo("second");
        assertThat(service.output()).contains("still serving the previous model");
        assertThat(Files.list(cache.resolve(NAME))).hasSizeLessThanOrEqualTo(2);
      }
      assertThat(mlflow.violations()).isEmpty();
    }
  }

  private static String servedVersion(HttpTestClient client) {
    JsonNode model = client.get("/api/v1/model").json();
    return model.get("version").asString();
  }

  private static void awaitVersion(HttpTestClient client, String version, ServiceProcess service)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!servedVersion(client).equals(version)) {
      assertThat(System.nanoTime()).as(service.output()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  @Test
  void aRegistryLocationNeedsATrackingServer() {
    assertThatThrownBy(() -> source("models:/" + NAME + "@champion", null))
        .isInstanceOf(UnreadableModelLocationException.class)
        .hasMessageContaining("needs MLFLOW_TRACKING_URI");
  }

  @Test
  void anAliasThatPointsNowhereStopsStartUp() throws Exception {
    try (FakeMlflowServer mlflow = FakeMlflowServer.start()) {
      assertThatThrownBy(() -> source("models:/" + NAME + "@champion", mlflow.uri().toString()))
          .isInstanceOf(UnreadableModelLocationException.class)
          .hasMessageContaining("MODEL_PATH=models:/" + NAME + "@champion cannot be read")
          .hasMessageContaining("not found");
      assertThatThrownBy(() -> source("models:/" + NAME, mlflow.uri().toString()))
          .hasMessageContaining("models:/NAME@ALIAS or models:/NAME/VERSION");
      assertThat(mlflow.violations()).isEmpty();
    }
  }

  @Test
  void aFixedVersionIsServedAsIs() throws Exception {
    try (FakeMlflowServer mlflow = FakeMlflowServer.start()) {
      String version = mlflow.publish(NAME, "champion", model("pinned"));
      ModelSource source = source("models:/" + NAME + "/" + version, mlflow.uri().toString());
      assertThat(source.isRegistry()).isTrue();
      assertThat(source.read(source.entries().get(0))).isEqualTo(model("pinned"));
    }
  }

  private ModelSource source(String location, String trackingUri) {
    return new ModelSource(
        new ModelProperties(location, 0, 2, true, null, Duration.ofSeconds(30), cache.toString()),
        new MlflowProperties(new MlflowProperties.Tracking(trackingUri, null, null, null)));
  }
}
