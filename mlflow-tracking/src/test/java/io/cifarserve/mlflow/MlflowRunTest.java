package io.cifarserve.mlflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MlflowRunTest {

  private static final MlflowRun.Retry QUICK = new MlflowRun.Retry(2, 10);

  private FakeMlflowServer server;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  @BeforeEach
  void start() throws IOException {
    server = FakeMlflowServer.start();
  }

  @AfterEach
  void stop() {
    assertThat(server.violations()).isEmpty();
    server.close();
  }

  private MlflowClient client(String experiment) {
    return new MlflowClient(new MlflowSettings(server.uri(), experiment, null, null, null));
  }

  @Test
  void recordsParametersMetricsByStepArtifactsAndTheEnd(@TempDir Path dir) throws IOException {
    Path card = Files.writeString(dir.resolve("MODEL_CARD.md"), "# card");
    MlflowRun run =
        MlflowRun.start(client("cifar"), "train", Map.of("mlflow.user", "me"), out, QUICK);
    run.logParams(Map.of("lr", "0.1", "epochs", "2"));
    run.logMetrics(Map.of("val_accuracy", 0.5, "train_loss", Double.NaN), 1);
    run.logMetrics(Map.of("val_accuracy", 0.7), 2);
    run.logArtifact(card, "");
    run.logArtifact(card, "model");
    run.end(RunStatus.FINISHED);
    run.end(RunStatus.FAILED);

    RecordedRun recorded = server.run(run.info().orElseThrow().runId());
    assertThat(recorded.status).isEqualTo("FINISHED");
    assertThat(recorded.params).containsEntry("lr", "0.1").containsEntry("epochs", "2");
    assertThat(recorded.tags).containsEntry("mlflow.user", "me");
    assertThat(recorded.metric("val_accuracy")).containsExactly(0.5, 0.7);
    assertThat(recorded.metric("train_loss")).isEmpty();
    assertThat(server.artifactPaths(recorded.id))
        .containsExactly("MODEL_CARD.md", "model/MODEL_CARD.md");
    assertThat(printed.toString()).contains("in experiment 'cifar'").contains("ended FINISHED");
  }

  @Test
  void splitsLargeBatchesWithinTheServersLimits() {
    MlflowRun run = MlflowRun.start(client("big"), "r", Map.of(), out, QUICK);
    Map<String, Double> metrics = new LinkedHashMap<>();
    IntStream.range(0, 2500).forEach(i -> metrics.put("m" + i, (double) i));
    Map<String, String> params = new LinkedHashMap<>();
    IntStream.range(0, 150).forEach(i -> params.put("p" + i, "x".repeat(7000)));
    run.logMetrics(metrics, 0);
    run.logParams(params);
    run.end(RunStatus.FINISHED);

    RecordedRun recorded = server.run(run.info().orElseThrow().runId());
    assertThat(recorded.metrics).hasSize(2500);
    assertThat(recorded.params).hasSize(150);
    assertThat(recorded.params.get("p0")).hasSize(6000);
    assertThat(server.calls().stream().filter(c -> c.endsWith("log-batch"))).hasSize(5);
  }

  @Test
  void aServerThatIsDownAtTheStartStopsTheCommandWithAClearMessage() throws IOException {
    URI down = FakeMlflowServer.nowhere();
    MlflowClient nobody = new MlflowClient(new MlflowSettings(down, "x", null, null, null));
    assertThatThrownBy(() -> MlflowRun.start(nobody, "r", Map.of(), out, QUICK))
        .isInstanceOf(TrackingUnavailableException.class)
        .hasMessageContaining("MLFLOW_TRACKING_URI=" + down)
        .hasMessageContaining("no answer")
        .hasMessageContaining("Unset MLFLOW_TRACKING_URI");
  }

  @Test
  void aServerThatDropsMidRunGetsWhatItMissedWhenItIsBack() {
    MlflowRun run = MlflowRun.start(client("drop"), "r", Map.of(), out, QUICK);
    run.logMetrics(Map.of("loss", 3.0), 1);
    server.outage(true);
    run.logMetrics(Map.of("loss", 2.0), 2);
    run.logMetrics(Map.of("loss", 1.5), 3);
    assertThat(printed.toString()).contains("warning: metrics not recorded").contains("503");
    server.outage(false);
    run.logMetrics(Map.of("loss", 1.0), 4);
    run.end(RunStatus.FINISHED);

    RecordedRun recorded = server.run(run.info().orElseThrow().runId());
    assertThat(recorded.metric("loss")).containsExactly(3.0, 2.0, 1.5, 1.0);
    assertThat(recorded.status).isEqualTo("FINISHED");
    assertThat(printed.toString()).contains("answers again");
  }

  @Test
  void aServerThatNeverComesBackLeavesTheRunFolderAsTheRecord() {
    MlflowRun run = MlflowRun.start(client("gone"), "r", Map.of(), out, QUICK);
    server.outage(true);
    run.logMetrics(Map.of("loss", 2.0), 1);
    run.end(RunStatus.FINISHED);
    assertThat(printed.toString())
        .contains("could not be marked FINISHED")
        .contains("the server missed 1 records")
        .contains("the run folder has them all");
  }

  @Test
  void registersVersionsAndMovesTheAlias(@TempDir Path dir) throws IOException {
    Path model = Files.write(dir.resolve("model.onnx"), new byte[] {1, 2, 3});
    MlflowRun first = MlflowRun.start(client("reg"), "a", Map.of(), out, QUICK);
    first.logArtifact(model, "model");
    Optional<ModelVersion> one =
        first.registerModel(
            "cifar10-resnet18", "model", Map.of("test_accuracy", "0.9"), "champion");
    first.end(RunStatus.FINISHED);
    MlflowRun second = MlflowRun.start(client("reg"), "b", Map.of(), out, QUICK);
    second.logArtifact(model, "model");
    Optional<ModelVersion> two =
        second.registerModel("cifar10-resnet18", "model", Map.of(), "champion");
    second.end(RunStatus.FINISHED);

    assertThat(one.orElseThrow().version()).isEqualTo("1");
    assertThat(two.orElseThrow().version()).isEqualTo("2");
    assertThat(server.alias("cifar10-resnet18", "champion")).contains("2");
    assertThat(server.versionTags("cifar10-resnet18", "1")).containsEntry("test_accuracy", "0.9");

    MlflowClient client = client("reg");
    ModelVersion champion = client.versionByAlias("cifar10-resnet18", "champion");
    assertThat(champion.runId()).isEqualTo(second.info().orElseThrow().runId());
    Path downloaded = dir.resolve("downloaded.onnx");
    client.downloadArtifact(client.downloadUri("cifar10-resnet18", "2"), "model.onnx", downloaded);
    assertThat(Files.readAllBytes(downloaded)).containsExactly(1, 2, 3);
  }

  @Test
  void aModelWhoseFilesTheServerRefusedIsNotRegistered(@TempDir Path dir) throws IOException {
    Path model = Files.write(dir.resolve("model.onnx"), new byte[2048]);
    Path card = Files.writeString(dir.resolve("MODEL_CARD.md"), "# card");
    server.maxBodyBytes(1024);
    MlflowRun run = MlflowRun.start(client("big-model"), "r", Map.of(), out, QUICK);
    run.logArtifact(card, "model");
    run.logArtifact(model, "model");
    Optional<ModelVersion> version =
        run.registerModel("cifar10-resnet18", "model", Map.of(), "champion");
    run.end(RunStatus.FINISHED);

    assertThat(version).isEmpty();
    assertThat(server.alias("cifar10-resnet18", "champion")).isEmpty();
    assertThat(printed.toString())
        .contains("refused artifact model/model.onnx")
        .contains("413")
        .contains("not registered, the server refused [artifact model/model.onnx]");
  }

  @Test
  void signsInWithBasicAuthenticationWhenGivenAUserAndPassword() throws IOException {
    MlflowSettings settings =
        MlflowSettings.fromEnvironment(
                Map.of(
                    "MLFLOW_TRACKING_URI", "http://unused",
                    "MLFLOW_TRACKING_USERNAME", "ana",
                    "MLFLOW_TRACKING_PASSWORD", "s3cret",
                    "MLFLOW_TRACKING_TOKEN", "tok"))
            .orElseThrow();
    assertThat(settings.authorization()).contains("Basic YW5hOnMzY3JldA==");
    assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("tok");
    try (FakeMlflowServer guarded = FakeMlflowServer.requiring("Bearer tok")) {
      MlflowSettings bearer =
          MlflowSettings.fromEnvironment(
                  Map.of(
                      "MLFLOW_TRACKING_URI",
                      guarded.uri().toString(),
                      "MLFLOW_TRACKING_TOKEN",
                      "tok"))
              .orElseThrow();
      MlflowRun run = MlflowRun.start(new MlflowClient(bearer), "r", Map.of(), out, QUICK);
      run.end(RunStatus.FINISHED);
      assertThat(guarded.runs()).hasSize(1);
      MlflowSettings anonymous = bearer.withExperiment("x");
      MlflowSettings wrong = new MlflowSettings(anonymous.trackingUri(), "x", null, null, null);
      assertThatThrownBy(() -> MlflowRun.start(new MlflowClient(wrong), "r", Map.of(), out, QUICK))
          .hasMessageContaining("401");
    }
  }

  @Test
  void refusesTrackingUrisThatAreNotServers() {
    assertThat(MlflowSettings.fromEnvironment(Map.of())).isEmpty();
    assertThatThrownBy(
            () ->
                MlflowSettings.fromEnvironment(Map.of("MLFLOW_TRACKING_URI", "file:///tmp/mlruns")))
        .hasMessageContaining("must be the http(s) URL");
  }

  @Test
  void trackedExecutionEndsTheRunByTheCommandsOutcome() throws Exception {
    Optional<MlflowSettings> settings =
        Optional.of(new MlflowSettings(server.uri(), "exec", null, null, null));
    int code = TrackedExecution.run(settings, "ok", Map.of(), Map.of("a", "1"), out, run -> 0);
    assertThat(code).isZero();
    assertThat(TrackedExecution.run(settings, "bad", Map.of(), Map.of(), out, run -> 2))
        .isEqualTo(2);
    assertThatThrownBy(
            () ->
                TrackedExecution.run(
                    settings,
                    "broken",
                    Map.of(),
                    Map.of(),
                    out,
                    run -> {
                      throw new IllegalStateException("boom");
                    }))
        .hasMessage("boom");
    assertThat(server.runs())
        .extracting(r -> r.name + "=" + r.status)
        .containsExactlyInAnyOrder("ok=FINISHED", "bad=FAILED", "broken=FAILED");
  }

  /** The fake server must refuse what MLflow refuses, or the tests above prove nothing. */
  @Test
  void theFakeServerRefusesRequestsMlflowRefuses() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    List<String> bodies =
        List.of(
            "{\"run_id\":\"x\",\"bogus\":1}",
            "{\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":1}]}",
            "{\"run_id\":\"x\",\"metrics\":[{\"key\":\"a\",\"value\":1}]}",
            "{\"run_id\":\"x\",\"metrics\":[{\"key\":\"a\",\"value\":1,\"timestamp\":1.5}]}");
    for (String body : bodies) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(server.uri().resolve("/api/2.0/mlflow/runs/log-batch"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(body).isEqualTo(400);
      assertThat(response.body()).contains("INVALID_PARAMETER_VALUE");
    }
    HttpResponse<String> badStatus =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/api/2.0/mlflow/runs/update"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"run_id\":\"x\",\"status\":\"DONE\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrongMethod =
        http.send(
            HttpRequest.newBuilder(server.uri().resolve("/api/2.0/mlflow/runs/create"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> missingName =
        http.send(
            HttpRequest.newBuilder(
                    server
                        .uri()
                        .resolve("/api/2.0/mlflow/experiments/get-by-name?experiment_name="))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(badStatus.statusCode()).isEqualTo(400);
    assertThat(wrongMethod.statusCode()).isEqualTo(404);
    assertThat(missingName.body()).contains("required parameter 'experiment_name'");
    assertThat(server.violations()).hasSize(7);
    server.close();
    server = FakeMlflowServer.start();
  }
}
