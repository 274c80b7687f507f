package io.cifarserve.training.export;

import ai.djl.ndarray.NDManager;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.model.Calibration;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.training.calibrate.Calibrator;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.evaluate.Charts;
import io.cifarserve.training.evaluate.Evaluation;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.TestTimeAugmentation;
import io.cifarserve.training.numerics.TrainingNumerics;
import io.cifarserve.training.train.EpochMetrics;
import io.cifarserve.training.train.NetworkRunner;
import io.cifarserve.training.train.NumericGuard;
import io.cifarserve.training.train.TrainingStage;
import io.cifarserve.training.train.TrainingStages;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a trained network into a run directory's results: test evaluation, ONNX export checked
 * against DJL and calibrated, metrics.json, confusion-matrix.png, curves.png, the calibration
 * report and MODEL_CARD.md.
 */
public final class RunOutputs {

  public static final String MODEL_FILE = "model.onnx";
  public static final String METRICS_FILE = "metrics.json";
  public static final String MODEL_CARD_FILE = "MODEL_CARD.md";
  private static final int PARITY_IMAGES = 16;

  private final JsonMapper json;
  private final PrintStream out;
  private final TestTimeAugmentation augmentation;
  private final Path outOfDistributionDir;

  /**
   * Exports models that predict with {@code augmentation}, and evaluates them that way.
   *
   * @param outOfDistributionDir photographs of none of the classes for the calibration report, or
   *     null
   */
  public RunOutputs(
      JsonMapper json,
      PrintStream out,
      TestTimeAugmentation augmentation,
      Path outOfDistributionDir) {
    this.json = json;
    this.out = out;
    this.augmentation = augmentation;
    this.outOfDistributionDir = outOfDistributionDir;
  }

  /** How the model is described in its metadata. */
  public record Identity(String name, String version, String trainingData) {}

  /** What {@link #write} produced. */
  public record Result(Path model, Evaluation evaluation, double parityDifference) {}

  public Result write(
      ResNet18 net,
      NDManager manager,
      TrainingStages stages,
      LabeledImages test,
      Identity identity,
      ModelCard.RunFacts facts,
      Path runDir) {
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(test.imageSize(), Cifar10.MEAN, Cifar10.STD);
    NumericGuard.requireFiniteHistory(stages.epochs(), "refusing to export");
    NumericGuard.requireFiniteWeights(net, "refusing to export");
    NetworkRunner runner = new NetworkRunner(net, manager, preprocessor, augmentation);
    TrainingNumerics.ensure(
        TrainingNumerics.cases(net, test.imageSize(), Set.of(), runner.batchSizes(test.size())),
        manager,
        out);
    Tested tested = evaluate(runner, test);
    ModelMetadata metadata = describe(net, test, identity, tested, stages, facts);
    byte[] exported = OnnxExporter.export(net, metadata, augmentation);
    int n = Math.min(PARITY_IMAGES, test.size());
    ParityCheck.Comparison parity =
        ParityCheck.verify(runner, exported, test.tensor(preprocessor, 0, n), n);
    out.printf(
        "ONNX Runtime matches DJL: max |difference| %.2e on %d images%n",
        parity.maxAbsDifference(), n);
    Calibrator.Outcome calibrated =
        new Calibrator(out).calibrate(exported, test, outOfDistributionDir);
    Path model =
        writeFiles(calibrated, metadata, tested.evaluation(), stages, parity, facts, runDir);
    return new Result(model, tested.evaluation(), parity.maxAbsDifference());
  }

  /** The test figures, with the single-view accuracy when the model averages views. */
  private record Tested(Evaluation evaluation, Map<String, Double> modelMetrics) {}

  private Tested evaluate(NetworkRunner runner, LabeledImages test) {
    out.printf("evaluating on %,d test images%n", test.size());
    NetworkRunner.PredictionsWithSingleView both = runner.predictWithSingleView(test);
    NetworkRunner.Predictions predictions = both.predictions();
    if (!Double.isFinite(predictions.meanLoss())) {
      throw new IllegalStateException(
          "refusing to export: the test loss is %s, so the network computes non-finite outputs"
              .formatted(predictions.meanLoss()));
    }
    Evaluation evaluation =
        Evaluation.of(
            test.labels(), predictions.predicted(), predictions.meanLoss(), Cifar10.LABELS);
    out.printf("test accuracy %.4f%n", evaluation.accuracy());
    Map<String, Double> modelMetrics = new LinkedHashMap<>(evaluation.asModelMetrics());
    if (augmentation != TestTimeAugmentation.NONE) {
      // What the augmentation buys, so operators can weigh it against its compute.
      double singleView = both.singleView().accuracy(test.labels());
      out.printf("test accuracy with one pass per picture %.4f%n", singleView);
      modelMetrics.put(ModelCard.SINGLE_VIEW_ACCURACY, singleView);
    }
    return new Tested(evaluation, modelMetrics);
  }

  /** The exported model's metadata, its card included (calibration comes after). */
  private ModelMetadata describe(
      ResNet18 net,
      LabeledImages test,
      Identity identity,
      Tested tested,
      TrainingStages stages,
      ModelCard.RunFacts facts) {
    ModelMetadata draft =
        new ModelMetadata(
            identity.name(),
            identity.version(),
            net.architecture().describe() + augmentation.architectureSuffix(),
            test.imageSize(),
            Cifar10.LABELS,
            Cifar10.MEAN,
            Cifar10.STD,
            identity.trainingData(),
            tested.modelMetrics(),
            Instant.now(),
            "",
            Calibration.NONE);
    String card = ModelCard.render(draft, tested.evaluation(), stages, facts);
    return draft.withEvaluation(draft.metrics(), card);
  }

  private Path writeFiles(
      Calibrator.Outcome calibrated,
      ModelMetadata metadata,
      Evaluation evaluation,
      TrainingStages stages,
      ParityCheck.Comparison parity,
      ModelCard.RunFacts facts,
      Path runDir) {
    try {
      Files.createDirectories(runDir);
      Path model = runDir.resolve(MODEL_FILE);
      Files.write(model, calibrated.model());
      Files.writeString(runDir.resolve(MODEL_CARD_FILE), calibrated.metadata().modelCard());
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("model", Map.of("name", metadata.name(), "version", metadata.version()));
      List<EpochMetrics> epochs = stages.epochs();
      metrics.put("epochs", epochs);
      metrics.put("stages", stages.stages().stream().map(RunOutputs::stageSummary).toList());
      metrics.put("test", evaluation);
      metadata
          .metric(ModelCard.SINGLE_VIEW_ACCURACY)
          .ifPresent(single -> metrics.put("testAccuracySingleView", single));
      metrics.put("testTimeAugmentation", augmentation);
      metrics.put("trainingSeconds", stages.seconds());
      metrics.put("imagesPerSecond", stages.imagesPerSecond());
      metrics.put("device", facts.device());
      metrics.put("onnxParityMaxAbsDifference", parity.maxAbsDifference());
      metrics.put("onnxParityLimit", parity.limit());
      metrics.put("calibration", calibrated.report());
      json.writerWithDefaultPrettyPrinter()
          .writeValue(runDir.resolve(METRICS_FILE).toFile(), metrics);
      Charts.confusionMatrix(evaluation, runDir.resolve("confusion-matrix.png"));
      Charts.curves(epochs, runDir.resolve("curves.png"));
      Calibrator.writeReport(calibrated.report(), json, runDir);
      out.println("wrote " + model + " and its report in " + runDir);
      return model;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results into " + runDir, e);
    }
  }

  private static Map<String, Object> stageSummary(TrainingStage stage) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("options", stage.options());
    summary.put("epochsDone", stage.history().size());
    summary.put("seconds", stage.seconds());
    return summary;
  }
}
