package io.cifarserve.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.training.data.CifarBinaryFormat;
import io.cifarserve.training.testing.SyntheticCifar;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** Trains a small network end to end on synthetic colour-coded data, through the CLI. */
class TrainCommandTest {

  @TempDir static Path work;
  static Path data;
  static Path run;
  static int exitCode;

  @BeforeAll
  static void trainOnce() throws Exception {
    // 200 pictures a file: with 100, six epochs were 84 steps and the recipe ended at 90% to 93%,
    // on which side of the 90% asserted depending on rounding (an equivalent memory layout of the
    // same kernels took it to exactly 90%). With 200 both test executions reach 100%.
    data = SyntheticCifar.write(work.resolve("data"), 200);
    run = work.resolve("run");
    // At 0.05 this width-8 network's batch-norm statistics lag its weights after the first
    // one-cycle epoch: its inference-mode logits reached 5e7 on one AMD EPYC and overflowed to NaN
    // with oneDNN capped at AVX2, whose rounding differs. 0.02 keeps them small on every CPU tried.
    exitCode =
        train(
            run,
            "--width",
            "8",
            "--epochs",
            "6",
            "--lr",
            "0.02",
            "--model-version",
            "test-1",
            "--data-description",
            "synthetic colour-coded test images",
            "--publish-to",
            work.resolve("published").toString());
  }

  /** A new run folder holding the first run's checkpoint, to export it another way. */
  private static Path copyOfTheRunsCheckpoint(String name) throws Exception {
    Path copy = Files.createDirectories(work.resolve(name));
    for (String file : List.of("checkpoint.json", "checkpoint.safetensors")) {
      Files.copy(run.resolve(file), copy.resolve(file));
    }
    return copy;
  }

  /**
   * Trains an ImageNet-stem network on the synthetic data into {@code runDir}, with more options.
   */
  private static int train(Path runDir, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--data-dir",
                data.toString(),
                "--run-dir",
                runDir.toString(),
                "--stem",
                "imagenet",
                "--batch-size",
                "32",
                "--seed",
                "7"));
    args.addAll(List.of(options));
    return TrainingJob.commandLine().execute(args.toArray(String[]::new));
  }

  /**
   * Exports the checkpoint in {@code runDir} (the synthetic data's test set), with more options.
   */
  private static int export(Path runDir, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of("export", "--data-dir", data.toString(), "--run-dir", runDir.toString()));
    args.addAll(List.of(options));
    return TrainingJob.commandLine().execute(args.toArray(String[]::new));
  }

  @Test
  void learnsTheSyntheticClassesAndReportsIt() throws Exception {
    assertThat(exitCode).isZero();
    JsonNode metrics = Json.mapper().readTree(run.resolve("metrics.json").toFile());
    assertThat(metrics.get("epochs")).hasSize(6);
    assertThat(metrics.at("/test/accuracy").asDouble()).isGreaterThan(0.9);
    assertThat(metrics.at("/test/perClass")).hasSize(10);
    assertThat(metrics.get("onnxParityMaxAbsDifference").asDouble())
        .isLessThanOrEqualTo(metrics.get("onnxParityLimit").asDouble())
        .isLessThanOrEqualTo(1e-3);
    for (String file :
        new String[] {"params.json", "confusion-matrix.png", "curves.png", "MODEL_CARD.md"}) {
      assertThat(run.resolve(file)).isNotEmptyFile();
    }
  }

  @Test
  void exportsAnOnnxModelWithItsMetadata() {
    try (OnnxClassifier model = OnnxClassifier.load(run.resolve("model.onnx"), 1)) {
      assertThat(model.metadata().version()).isEqualTo("test-1");
      assertThat(model.metadata().trainingData()).isEqualTo("synthetic colour-coded test images");
      assertThat(model.metadata().architecture()).isEqualTo("resnet18/imagenet/w8");
      assertThat(model.metadata().metric("test_accuracy"))
          .hasValueSatisfying(a -> assertThat(a).isGreaterThan(0.9));
      assertThat(model.metadata().modelCard()).contains("Test accuracy").contains("synthetic");
    }
  }

  @Test
  void recordsParamsForReproduction() throws Exception {
    JsonNode params = Json.mapper().readTree(run.resolve("params.json").toFile());
    assertThat(params.at("/options/seed").asLong()).isEqualTo(7);
    assertThat(params.get("dataSha256").asString()).hasSize(64);
    assertThat(params.has("gitCommit")).isTrue();
    // The start-up check's verdict: whichever kernels this CPU needed, they matched float64.
    assertThat(params.at("/numerics/cases").asInt()).isPositive();
    assertThat(params.at("/numerics/worstRelativeError").asDouble()).isLessThan(1e-3);
    assertThat(params.at("/numerics/kernels").asString()).isNotBlank();
    assertThat(Files.readString(run.resolve("MODEL_CARD.md"))).contains("| cat |");
  }

  @Test
  void aRunWhoseLossGoesNonFiniteStopsAndExportsNothing() {
    Path diverged = work.resolve("diverged");
    StringWriter errors = new StringWriter();
    CommandLine commandLine = TrainingJob.commandLine();
    commandLine.setErr(new PrintWriter(errors));

    // A learning rate of 1e30 overflows the weights after the first step.
    int exit =
        commandLine.execute(
            "train",
            "--data-dir",
            data.toString(),
            "--run-dir",
            diverged.toString(),
            "--stem",
            "imagenet",
            "--width",
            "4",
            "--epochs",
            "2",
            "--batch-size",
            "32",
            "--lr",
            "1e30",
            "--publish-to",
            work.resolve("published-diverged").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(errors.toString())
        .contains("training stopped in epoch 1, batch ")
        .containsPattern("the loss is (NaN|Infinity)|the gradient is not finite")
        .contains("--lr");
    assertThat(diverged.resolve("model.onnx")).doesNotExist();
    assertThat(diverged.resolve("metrics.json")).doesNotExist();
    assertThat(diverged.resolve("checkpoint.json")).doesNotExist();
    assertThat(work.resolve("published-diverged")).doesNotExist();
  }

  @Test
  void publishesTheFirstModelWithItsCard() {
    assertThat(work.resolve("published/model.onnx")).isNotEmptyFile();
    assertThat(work.resolve("published/MODEL_CARD.md")).isNotEmptyFile();
  }

  @Test
  void evaluateReproducesTheAccuracyInTheModelCard() throws Exception {
    Path out = work.resolve("evaluation");

    double reproduced = evaluate(run.resolve("model.onnx"), out);

    assertThat(reproduced).isEqualTo(testAccuracy(run));
    assertThat(out.resolve("confusion-matrix.png")).isNotEmptyFile();
  }

  @Test
  void evaluateNeedsOnlyTheTestImages() throws Exception {
    Path testOnly = work.resolve("test-only").resolve(CifarBinaryFormat.FOLDER);
    Files.createDirectories(testOnly);
    Files.copy(
        data.resolve(CifarBinaryFormat.FOLDER).resolve(CifarBinaryFormat.TEST_FILE),
        testOnly.resolve(CifarBinaryFormat.TEST_FILE));

    double accuracy =
        evaluate(
            testOnly.getParent(), run.resolve("model.onnx"), work.resolve("test-only-evaluation"));

    assertThat(accuracy).isEqualTo(testAccuracy(run));
  }

  @Test
  void exportWithQuantizeWritesAnEvaluatedInt8CopyThatTheServiceCanLoad() throws Exception {
    Path quantized = copyOfTheRunsCheckpoint("quantized");

    int exit = export(quantized, "--model-version", "q-1", "--quantize", "int8");

    assertThat(exit).isZero();
    JsonNode metrics = Json.mapper().readTree(quantized.resolve("int8/metrics.json").toFile());
    try (OnnxClassifier model = OnnxClassifier.load(quantized.resolve("model-int8.onnx"), 1)) {
      assertThat(model.metadata().name()).isEqualTo("cifar10-resnet18-int8");
      assertThat(model.metadata().version()).isEqualTo("q-1");
      assertThat(model.metadata().architecture()).isEqualTo("resnet18/imagenet/w8+int8");
      assertThat(model.metadata().modelCard())
          .contains("quantized to int8")
          .contains("## Calibration and unsure answers");
      assertThat(model.metadata().metric("test_accuracy"))
          .contains(metrics.at("/test/accuracy").asDouble());
    }
    assertThat(metrics.get("agreementWithFloat").asDouble()).isGreaterThan(0.9);
    assertThat(metrics.at("/test/accuracy").asDouble())
        .isCloseTo(testAccuracy(quantized), within(0.05));
    assertThat(Files.size(quantized.resolve("model-int8.onnx")))
        .isLessThan(Files.size(quantized.resolve("model.onnx")) / 2);
  }

  @Test
  void exportsAFlipAveragedModelThatEvaluatesAsRecorded() throws Exception {
    Path flipped = copyOfTheRunsCheckpoint("flipped");

    int exit = export(flipped, "--flip-averaging");

    assertThat(exit).isZero();
    JsonNode metrics = Json.mapper().readTree(flipped.resolve("metrics.json").toFile());
    // The same weights with one pass per picture are the model the first run exported.
    double singleView = metrics.get("testAccuracySingleView").asDouble();
    assertThat(singleView).isEqualTo(testAccuracy(run));
    try (OnnxClassifier model = OnnxClassifier.load(flipped.resolve("model.onnx"), 1)) {
      assertThat(model.metadata().architecture()).isEqualTo("resnet18/imagenet/w8+hflip");
      assertThat(model.metadata().metric("test_accuracy_single_view")).contains(singleView);
      assertThat(model.metadata().modelCard()).contains("and its mirror image");
    }
    // ONNX Runtime, through the serving preprocessing, reproduces DJL's flip-averaged accuracy.
    assertThat(evaluate(flipped.resolve("model.onnx"), work.resolve("flipped-evaluation")))
        .isEqualTo(testAccuracy(flipped));
  }

  @Test
  void warmRestartStartsFromTheEarlierRunAndKeepsItsHistory() throws Exception {
    Path warm = work.resolve("warm");

    int exit =
        train(warm, "--width", "8", "--epochs", "2", "--lr", "0.01", "--init-from", run.toString());

    assertThat(exit).isZero();
    JsonNode metrics = Json.mapper().readTree(warm.resolve("metrics.json").toFile());
    // A fresh network is near chance in its first epoch; the restarted one starts where run ended.
    assertThat(metrics.at("/stages/1/epochsDone").asInt()).isEqualTo(2);
    assertThat(metrics.at("/epochs/6/epoch").asInt()).isEqualTo(7);
    assertThat(metrics.at("/epochs/6/trainAccuracy").asDouble()).isGreaterThan(0.8);
    assertThat(metrics.get("stages")).hasSize(2);
    assertThat(metrics.at("/stages/0/epochsDone").asInt()).isEqualTo(6);
    assertThat(metrics.get("trainingSeconds").asDouble())
        .isEqualTo(
            metrics.at("/stages/0/seconds").asDouble() + metrics.at("/stages/1/seconds").asDouble(),
            org.assertj.core.data.Offset.offset(1e-6));
    assertThat(Files.readString(warm.resolve("MODEL_CARD.md")))
        .contains("8 epochs in 2 stages")
        .contains("- Stage 2:")
        .contains("learning rate peaking at 0.0100");
    assertThat(
            Json.mapper().readTree(warm.resolve("params.json").toFile()).get("initFrom").asString())
        .isEqualTo(run.toAbsolutePath().toString());
    // The checkpoint keeps the earlier stage, so a further restart from it keeps the whole history.
    assertThat(
            Json.mapper()
                .readTree(warm.resolve("checkpoint.json").toFile())
                .at("/earlierStages/0/history"))
        .hasSize(6);

    // Resuming the finished run (without --init-from) exports again with both stages.
    assertThat(train(warm, "--width", "8", "--epochs", "2", "--lr", "0.01", "--resume")).isZero();
    assertThat(Json.mapper().readTree(warm.resolve("metrics.json").toFile()).get("stages"))
        .hasSize(2);
  }

  @Test
  void anAveragingStageExportsTheMeanWeightsAndSaysSo() throws Exception {
    Path averaged = work.resolve("averaged");
    List<String> stage =
        List.of(
            "--width",
            "8",
            "--epochs",
            "2",
            "--lr",
            "0.01",
            "--schedule",
            "constant",
            "--init-from",
            run.toString());
    List<String> averaging = new ArrayList<>(stage);
    averaging.addAll(List.of("--average-from-epoch", "1"));

    int exit = train(averaged, averaging.toArray(String[]::new));

    assertThat(exit).isZero();
    assertThat(Files.readString(averaged.resolve("MODEL_CARD.md")))
        .contains("- Stage 2:")
        .contains("constant learning rate 0.0100")
        .contains("mean of those at the end of epochs 1 to 2");
    JsonNode metrics = Json.mapper().readTree(averaged.resolve("metrics.json").toFile());
    // The same stage without averaging exports its last snapshot: another model, and the mean
    // with its own batch-norm statistics predicts well: 0.80 to 1.00 on the CPUs tried, where wrong
    // statistics or a wrong mean score near chance (this test once saw 0.31 for the snapshot on a
    // CPU with faulty kernels).
    Path lastSnapshot = work.resolve("not-averaged");
    assertThat(train(lastSnapshot, stage.toArray(String[]::new))).isZero();
    assertThat(testLoss(averaged)).isNotCloseTo(testLoss(lastSnapshot), within(1e-4));
    assertThat(testAccuracy(averaged)).isGreaterThanOrEqualTo(0.7);
    // The exported model is the mean with its measured statistics: ONNX Runtime agrees with DJL.
    assertThat(metrics.get("onnxParityMaxAbsDifference").asDouble())
        .isLessThanOrEqualTo(metrics.get("onnxParityLimit").asDouble())
        .isLessThanOrEqualTo(1e-3);
    assertThat(evaluate(averaged.resolve("model.onnx"), work.resolve("averaged-evaluation")))
        .isEqualTo(testAccuracy(averaged));
    // export would take the last snapshot, not the mean: it refuses.
    assertThat(export(averaged)).isNotZero();
  }

  @Test
  void trainsOnTheWholeTrainingSetWithoutAValidationSplit() throws Exception {
    Path all = work.resolve("no-validation");

    int exit = train(all, "--width", "8", "--epochs", "1", "--validation-fraction", "0");

    assertThat(exit).isZero();
    JsonNode metrics = Json.mapper().readTree(all.resolve("metrics.json").toFile());
    assertThat(metrics.at("/test/accuracy").asDouble()).isBetween(0.0, 1.0);
    assertThat(Files.readString(all.resolve("MODEL_CARD.md")))
        .contains("no validation split")
        .doesNotContain("NaN");
    assertThat(all.resolve("curves.png")).isNotEmptyFile();
  }

  @Test
  void warmRestartRefusesACheckpointOfAnotherArchitecture() {
    int exit =
        train(
            work.resolve("wider"), "--width", "16", "--epochs", "1", "--init-from", run.toString());

    assertThat(exit).isNotZero();
    assertThat(work.resolve("wider/checkpoint.json")).doesNotExist();
  }

  /** Evaluates an exported model through the CLI (ONNX Runtime); returns its accuracy. */
  private static double evaluate(Path model, Path out) {
    return evaluate(data, model, out);
  }

  private static double evaluate(Path dataDir, Path model, Path out) {
    int exit =
        TrainingJob.commandLine()
            .execute(
                "evaluate",
                "--data-dir",
                dataDir.toString(),
                "--model",
                model.toString(),
                "--out",
                out.toString());
    assertThat(exit).isZero();
    return Json.mapper()
        .readTree(out.resolve("evaluation.json").toFile())
        .get("accuracy")
        .asDouble();
  }

  /** The test accuracy a run recorded in its metrics.json. */
  private static double testLoss(Path runDir) {
    return Json.mapper()
        .readTree(runDir.resolve("metrics.json").toFile())
        .at("/test/loss")
        .asDouble();
  }

  private static double testAccuracy(Path runDir) {
    return Json.mapper()
        .readTree(runDir.resolve("metrics.json").toFile())
        .at("/test/accuracy")
        .asDouble();
  }
}
