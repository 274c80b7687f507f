package io.cifarserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestClassPath;
import io.cifarserve.mlflow.FakeMlflowServer;
import io.cifarserve.mlflow.GitCommit;
import io.cifarserve.mlflow.MlflowSettings;
import io.cifarserve.mlflow.RecordedRun;
import io.cifarserve.training.testing.SyntheticCifar;
import io.cifarserve.training.tracking.Tracking;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands recorded as MLflow runs, against a local server that checks every request against
 * MLflow's own API definitions: a training run end to end (with the server dropping mid-run),
 * registration and alias, the other commands, failure, a server down at the start, and Ctrl-C.
 */
class TrackedCommandsTest {

  @TempDir static Path work;
  static FakeMlflowServer server;
  static Path data;
  static Path run;
  static int trainExit;
  static String trainOutput;

  @BeforeAll
  static void trainTracked() throws Exception {
    server = FakeMlflowServer.start();
    data = SyntheticCifar.write(work.resolve("data"), 200);
    run = work.resolve("run");
    // params, the data digest, then epoch 1; epoch 2's metrics and the first catch-up get 503s
    server.dropAfter("/runs/log-batch", 3, 4);
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      trainExit =
          execute(
              "train",
              "--data-dir",
              data.toString(),
              "--run-dir",
              run.toString(),
              "--stem",
              "imagenet",
              "--width",
              "8",
              "--epochs",
              "2",
              "--lr",
              "0.02",
              "--batch-size",
              "32",
              "--seed",
              "7",
              "--publish-to",
              work.resolve("published").toString());
    } finally {
      System.setOut(console);
      trainOutput = captured.toString(StandardCharsets.UTF_8);
      console.print(trainOutput);
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static int execute(String... args) {
    return executeIn("cifar-serve-tests", args);
  }

  private static int executeIn(String experiment, String... args) {
    Tracking tracking =
        new Tracking(
            Optional.of(new MlflowSettings(server.uri(), experiment, null, null, null)),
            Map.of(),
            Optional.empty());
    return TrainingJob.commandLine(new TrainingJob(tracking)).execute(args);
  }

  private static RecordedRun runNamed(String experiment, String prefix) {
    return server.runs(experiment).stream()
        .filter(r -> r.name.startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aTrainingRunRecordsItsOptionsVersionsAndData() {
    assertThat(trainExit).isZero();
    RecordedRun train = runNamed("cifar-serve-tests", "train-");
    assertThat(train.status).isEqualTo("FINISHED");
    assertThat(train.params)
        .containsEntry("lr", "0.02")
        .containsEntry("epochs", "2")
        .containsEntry("width", "8")
        .containsEntry("stem", "imagenet")
        .containsEntry("data-dir", data.toString())
        .containsKeys("git_commit", "djl_version", "pytorch_version", "schedule", "outlier-weight");
    assertThat(train.params.get("data_sha256")).hasSize(64);
    assertThat(train.params.get("pytorch_version")).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(train.tags)
        .containsEntry("mlflow.source.name", "training-job train")
        .containsEntry("mlflow.source.type", "JOB")
        .containsEntry("mlflow.source.git.commit", train.params.get("git_commit"));
    assertThat(train.params.get("git_commit"))
        .isEqualTo(GitCommit.current())
        .isNotEqualTo("unknown");
    assertThat(server.violations()).isEmpty();
  }

  @Test
  void aTrainingRunRecordsEachEpochAndTheFinalFiguresDespiteTheDrop() {
    RecordedRun train = runNamed("cifar-serve-tests", "train-");
    assertThat(train.metric("val_accuracy")).hasSize(2);
    assertThat(train.metric("train_loss")).hasSize(2);
    assertThat(train.metric("learning_rate")).hasSize(2);
    assertThat(train.metric("images_per_second")).hasSize(2).allMatch(v -> v > 0);
    assertThat(train.metric("test_accuracy"))
        .singleElement()
        .satisfies(a -> assertThat(a).isBetween(0.0, 1.0));
    assertThat(train.metric("test_ece")).hasSize(1);
    assertThat(train.metric("test_nll")).hasSize(1);
    assertThat(train.metric("temperature")).hasSize(1);
    assertThat(trainOutput)
        .contains("warning: metrics not recorded")
        .contains("503")
        .contains("the server answers again");
  }

  @Test
  void aTrainingRunUploadsItsModelCardChartsAndJsonButNotCheckpoints() {
    RecordedRun train = runNamed("cifar-serve-tests", "train-");
    assertThat(server.artifactPaths(train.id))
        .contains(
            "model/model.onnx",
            "model/MODEL_CARD.md",
            "model/metrics.json",
            "MODEL_CARD.md",
            "metrics.json",
            "params.json",
            "calibration.json",
            "curves.png",
            "confusion-matrix.png")
        .noneMatch(p -> p.contains("checkpoint"));
    assertThat(server.artifact(train.id, "model/model.onnx").orElseThrow())
        .isEqualTo(readAll(run.resolve("model.onnx")));
  }

  @Test
  void promotionRegistersAVersionTaggedWithItsAccuracyAndMovesTheChampionAlias() throws Exception {
    assertThat(server.alias("cifar10-resnet18", "champion")).contains("1");
    assertThat(server.versionTags("cifar10-resnet18", "1")).containsKey("test_accuracy");
    assertThat(trainOutput).contains("registered cifar10-resnet18 version 1, alias 'champion'");
  }

  @Test
  void evaluateCalibrateAndQuantizeEachRecordARun() {
    Path model = run.resolve("model.onnx");
    String dataDir = data.toString();
    assertThat(
            executeIn(
                "others",
                "evaluate",
                "--data-dir",
                dataDir,
                "--model",
                model.toString(),
                "--out",
                work.resolve("evaluation").toString()))
        .isZero();
    assertThat(
            executeIn(
                "others",
                "calibrate",
                "--data-dir",
                dataDir,
                "--model",
                model.toString(),
                "--out",
                work.resolve("calibrated").toString()))
        .isZero();
    assertThat(
            executeIn(
                "others",
                "quantize",
                "--data-dir",
                dataDir,
                "--model",
                model.toString(),
                "--out",
                work.resolve("int8").toString()))
        .isZero();

    RecordedRun evaluate = runNamed("others", "evaluate-");
    assertThat(evaluate.status).isEqualTo("FINISHED");
    assertThat(evaluate.metric("test_accuracy")).hasSize(1);
    assertThat(server.artifactPaths(evaluate.id))
        .contains("evaluation.json", "confusion-matrix.png");
    RecordedRun calibrate = runNamed("others", "calibrate-");
    assertThat(calibrate.metric("test_ece")).hasSize(1);
    assertThat(calibrate.metric("unsure_threshold")).hasSize(1);
    assertThat(server.artifactPaths(calibrate.id)).contains("model/model.onnx", "calibration.json");
    RecordedRun quantize = runNamed("others", "quantize-");
    assertThat(quantize.metric("int8_test_accuracy")).hasSize(1);
    assertThat(quantize.metric("int8_agreement_with_float")).hasSize(1);
    assertThat(server.artifactPaths(quantize.id)).contains("int8/model-int8.onnx");
    for (RecordedRun each : List.of(evaluate, calibrate, quantize)) {
      assertThat(each.params.get("data_sha256")).hasSize(64);
    }
    assertThat(server.violations()).isEmpty();
  }

  @Test
  void aFailingCommandEndsItsRunFailed() {
    int exit =
        executeIn(
            "failing",
            "evaluate",
            "--data-dir",
            data.toString(),
            "--model",
            work.resolve("no-such-model.onnx").toString(),
            "--out",
            work.resolve("failed-evaluation").toString());
    assertThat(exit).isNotZero();
    assertThat(server.runs("failing").stream().filter(r -> r.status.equals("FAILED"))).isNotEmpty();
  }

  @Test
  void aServerDownAtTheStartStopsTheCommandBeforeItWorks() throws Exception {
    URI down = FakeMlflowServer.nowhere();
    Tracking nowhere =
        new Tracking(
            Optional.of(new MlflowSettings(down, "x", null, null, null)),
            Map.of(),
            Optional.empty());
    Path runDir = work.resolve("never");
    java.io.StringWriter err = new java.io.StringWriter();
    picocli.CommandLine cli = TrainingJob.commandLine(new TrainingJob(nowhere));
    cli.setErr(new java.io.PrintWriter(err, true));
    int exit = cli.execute("train", "--data-dir", data.toString(), "--run-dir", runDir.toString());
    assertThat(exit).isEqualTo(1);
    assertThat(err.toString())
        .contains("tracking was asked for (MLFLOW_TRACKING_URI=" + down)
        .contains("Unset MLFLOW_TRACKING_URI to run without tracking");
    assertThat(runDir).doesNotExist();
  }

  @Test
  void ctrlCEndsTheRunKilled() throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                TestClassPath.pathingJar().toString(),
                TrainingJob.class.getName(),
                "train",
                "--data-dir",
                data.toString(),
                "--run-dir",
                work.resolve("interrupted").toString(),
                "--stem",
                "imagenet",
                "--width",
                "8",
                "--epochs",
                "1000",
                "--lr",
                "0.02",
                "--batch-size",
                "32"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("interrupted.log").toFile());
    builder.environment().put(MlflowSettings.TRACKING_URI, server.uri().toString());
    builder.environment().put(MlflowSettings.EXPERIMENT_NAME, "interrupted");
    Process training = builder.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (server.runs().stream()
          .noneMatch(
              r ->
                  r.experimentId != null
                      && !r.metric("val_accuracy").isEmpty()
                      && r.params.containsValue(work.resolve("interrupted").toString()))) {
        assertThat(training.isAlive())
            .as(Files.readString(work.resolve("interrupted.log")))
            .isTrue();
        assertThat(System.nanoTime()).as("an epoch within 120 s").isLessThan(deadline);
        Thread.sleep(200);
      }
      new ProcessBuilder("kill", "-INT", Long.toString(training.pid())).start().waitFor();
      assertThat(training.waitFor(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      training.destroyForcibly();
    }
    RecordedRun interrupted =
        server.runs().stream()
            .filter(r -> r.params.containsValue(work.resolve("interrupted").toString()))
            .findFirst()
            .orElseThrow();
    assertThat(interrupted.status)
        .as(Files.readString(work.resolve("interrupted.log")))
        .isEqualTo("KILLED");
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
