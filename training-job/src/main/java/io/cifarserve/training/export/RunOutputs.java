package io.cifarserve.training.export;

import ai.djl.ndarray.NDManager;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.image.ImagePreprocessor;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.evaluate.Charts;
import io.cifarserve.training.evaluate.Evaluation;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.train.EpochMetrics;
import io.cifarserve.training.train.NetworkRunner;
import io.cifarserve.training.train.TrainingOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a trained network into a run directory's results: test evaluation, ONNX export checked
 * against DJL, metrics.json, confusion-matrix.png, curves.png and MODEL_CARD.md.
 */
public final class RunOutputs {

  public static final String MODEL_FILE = "model.onnx";
  public static final String METRICS_FILE = "metrics.json";
  public static final String MODEL_CARD_FILE = "MODEL_CARD.md";
  private static final int PARITY_IMAGES = 16;

  private final JsonMapper json;
  private final PrintStream out;

  public RunOutputs(JsonMapper json, PrintStream out) {
    this.json = json;
    this.out = out;
  }

  /** How the model is described in its metadata. */
  public record Identity(String name, String version, String trainingData) {}

  /** What {@link #write} produced. */
  public record Result(Path model, Evaluation evaluation, double parityDifference) {}

  public Result write(
      ResNet18 net,
      NDManager manager,
      TrainingOptions options,
      List<EpochMetrics> history,
      LabeledImages test,
      Identity identity,
      ModelCard.RunFacts facts,
      Path runDir) {
    ImagePreprocessor preprocessor =
        new ImagePreprocessor(test.imageSize(), Cifar10.MEAN, Cifar10.STD);
    NetworkRunner runner = new NetworkRunner(net, manager, preprocessor);
    out.printf("evaluating on %,d test images%n", test.size());
    NetworkRunner.Predictions predictions = runner.predict(test);
    Evaluation evaluation =
        Evaluation.of(
            test.labels(), predictions.predicted(), predictions.meanLoss(), Cifar10.LABELS);
    out.printf("test accuracy %.4f%n", evaluation.accuracy());

    ModelMetadata draft =
        new ModelMetadata(
            identity.name(),
            identity.version(),
            net.architecture().describe(),
            test.imageSize(),
            Cifar10.LABELS,
            Cifar10.MEAN,
            Cifar10.STD,
            identity.trainingData(),
            evaluation.asModelMetrics(),
            Instant.now(),
            "");
    String card = ModelCard.render(draft, evaluation, options, history, facts);
    ModelMetadata metadata = draft.withEvaluation(draft.metrics(), card);
    byte[] onnx = OnnxExporter.export(net, metadata);

    int n = Math.min(PARITY_IMAGES, test.size());
    float[] batch = new float[n * preprocessor.imageLength()];
    for (int i = 0; i < n; i++) {
      preprocessor.writeTensor(
          test.pixels(), test.offset(i), batch, i * preprocessor.imageLength());
    }
    double difference = ParityCheck.verify(runner, onnx, batch, n);
    out.printf("ONNX Runtime matches DJL: max |difference| %.2e on %d images%n", difference, n);

    try {
      Files.createDirectories(runDir);
      Path model = runDir.resolve(MODEL_FILE);
      Files.write(model, onnx);
      Files.writeString(runDir.resolve(MODEL_CARD_FILE), card);
      Map<String, Object> metrics = new LinkedHashMap<>();
      metrics.put("model", Map.of("name", identity.name(), "version", identity.version()));
      metrics.put("epochs", history);
      metrics.put("test", evaluation);
      metrics.put("trainingSeconds", facts.trainingSeconds());
      metrics.put("imagesPerSecond", facts.imagesPerSecond());
      metrics.put("device", facts.device());
      metrics.put("onnxParityMaxAbsDifference", difference);
      json.writerWithDefaultPrettyPrinter()
          .writeValue(runDir.resolve(METRICS_FILE).toFile(), metrics);
      Charts.confusionMatrix(evaluation, runDir.resolve("confusion-matrix.png"));
      Charts.curves(history, runDir.resolve("curves.png"));
      out.println("wrote " + model + " and its report in " + runDir);
      return new Result(model, evaluation, difference);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write results into " + runDir, e);
    }
  }
}
