package io.cifarserve.training.quantize;

import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.onnxgraph.OnnxGraphBuilder;
import io.cifarserve.training.calibrate.Calibrator;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.evaluate.Evaluation;
import io.cifarserve.training.evaluate.OnnxEvaluation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.json.JsonMapper;

/**
 * An int8 copy of an exported model, evaluated and calibrated like any export: quantized on
 * training pictures, its own test evaluation, agreement with the float model, temperature and
 * unsure threshold, and a card that says it is quantized. It is served as it is, under the name
 * {@code <name>-int8}.
 */
public final class Int8Export {

  /** Calibration pictures drawn from the training set: the ranges settle within a few hundred. */
  public static final int CALIBRATION_IMAGES = 512;

  private Int8Export() {}

  /** Where {@link #write} puts the int8 model's card and reports, beside the model file. */
  public static final String REPORT_DIR = "int8";

  /** The int8 model and what was measured. */
  public record Outcome(
      byte[] model,
      ModelMetadata metadata,
      Evaluation evaluation,
      double agreement,
      Calibrator.Outcome calibration) {}

  /**
   * Writes the model as {@code file}, and its card, evaluation and calibration report into {@value
   * #REPORT_DIR} beside it.
   */
  public static void write(Outcome outcome, Path file, JsonMapper json) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, outcome.model());
    Path reports = file.toAbsolutePath().getParent().resolve(REPORT_DIR);
    Files.createDirectories(reports);
    Files.writeString(reports.resolve("MODEL_CARD.md"), outcome.metadata().modelCard());
    Map<String, Object> evaluation = new LinkedHashMap<>();
    evaluation.put(
        "model",
        Map.of("name", outcome.metadata().name(), "version", outcome.metadata().version()));
    evaluation.put("test", outcome.evaluation());
    evaluation.put("agreementWithFloat", outcome.agreement());
    evaluation.put("calibration", outcome.calibration().report());
    json.writerWithDefaultPrettyPrinter()
        .writeValue(reports.resolve("metrics.json").toFile(), evaluation);
    Calibrator.writeReport(outcome.calibration().report(), json, reports);
  }

  public static Outcome export(
      byte[] fp32,
      LabeledImages train,
      LabeledImages test,
      Path outOfDistributionDir,
      Int8Quantizer.Method method,
      PrintStream out) {
    try (OnnxClassifier original = OnnxClassifier.load(fp32, 0)) {
      ModelMetadata source = original.metadata();
      ImagePreprocessor preprocessor = ImagePreprocessor.forModel(source);
      LabeledImages calibration = calibrationPictures(train);
      int n = calibration.size();
      out.printf("quantizing to int8 with %s ranges from %d training pictures%n", method, n);
      byte[] graph =
          Int8Quantizer.quantize(
              fp32, calibration.tensor(preprocessor, 0, n), n, source.inputSize(), method);
      ModelMetadata draft = int8Metadata(source);
      OnnxEvaluation.Predictions floatPredictions = OnnxEvaluation.predict(original, test);
      Evaluation floatEvaluation =
          Evaluation.of(
              test.labels(),
              floatPredictions.predicted(),
              floatPredictions.meanLoss(),
              source.labels());
      Compared compared =
          compare(
              OnnxGraphBuilder.withMetadata(graph, draft.toProperties()), test, floatPredictions);
      Evaluation evaluation = compared.evaluation();
      out.printf(
          "int8 test accuracy %.4f (float %.4f); same class as the float model on %.2f%%%n",
          evaluation.accuracy(), floatEvaluation.accuracy(), 100 * compared.agreement());
      Map<String, Double> metrics = new LinkedHashMap<>(evaluation.asModelMetrics());
      metrics.put("int8.agreement_with_float", compared.agreement());
      metrics.put("int8.float_test_accuracy", floatEvaluation.accuracy());
      metrics.put("int8.calibration_images", (double) n);
      ModelMetadata labelled =
          draft.withEvaluation(
              metrics,
              Int8Card.render(
                  draft, source, evaluation, floatEvaluation, compared.agreement(), method, n));
      Calibrator.Outcome calibrated =
          new Calibrator(out)
              .calibrate(
                  OnnxGraphBuilder.withMetadata(graph, labelled.toProperties()),
                  compared.testLogits(),
                  test,
                  outOfDistributionDir);
      return new Outcome(
          calibrated.model(), calibrated.metadata(), evaluation, compared.agreement(), calibrated);
    }
  }

  /** A fixed random sample of the training pictures, whose activations set the int8 ranges. */
  private static LabeledImages calibrationPictures(LabeledImages train) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < train.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(8));
    int n = Math.min(CALIBRATION_IMAGES, train.size());
    return train.select(order.subList(0, n).stream().mapToInt(Integer::intValue).toArray());
  }

  private static ModelMetadata int8Metadata(ModelMetadata source) {
    return new ModelMetadata(
        source.name() + "-int8",
        source.version(),
        source.architecture() + "+int8",
        source.inputSize(),
        source.labels(),
        source.mean(),
        source.std(),
        source.trainingData(),
        Map.of(),
        source.createdAt(),
        "",
        null);
  }

  /** The int8 model's test figures and how often it agrees with the float model. */
  private record Compared(Evaluation evaluation, double agreement, float[][] testLogits) {}

  private static Compared compare(
      byte[] int8, LabeledImages test, OnnxEvaluation.Predictions floatPredictions) {
    // One pass of the int8 model over the test set serves its evaluation and its calibration.
    try (OnnxClassifier quantized = OnnxClassifier.load(int8, 0)) {
      float[][] testLogits = OnnxEvaluation.logits(quantized, test);
      OnnxEvaluation.Predictions predictions =
          OnnxEvaluation.predictions(testLogits, quantized.metadata(), test.labels());
      Evaluation evaluation =
          Evaluation.of(
              test.labels(),
              predictions.predicted(),
              predictions.meanLoss(),
              quantized.metadata().labels());
      int same = 0;
      for (int i = 0; i < test.size(); i++) {
        same += predictions.predicted()[i] == floatPredictions.predicted()[i] ? 1 : 0;
      }
      return new Compared(evaluation, (double) same / Math.max(1, test.size()), testLogits);
    }
  }
}
