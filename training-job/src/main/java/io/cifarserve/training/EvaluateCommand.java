package io.cifarserve.training;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.image.ImagePreprocessor;
import io.cifarserve.common.model.MetricKeys;
import io.cifarserve.common.onnx.OnnxClassifier;
import io.cifarserve.common.pipeline.ImagePipeline;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.evaluate.Charts;
import io.cifarserve.training.evaluate.Evaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates an ONNX model on the test set with ONNX Runtime and the serving preprocessing:",
      "accuracy, per-class precision/recall/F1, confusion matrix."
    })
final class EvaluateCommand implements Callable<Integer> {

  private static final int BATCH = 256;

  @Mixin DataOptions data;

  @Option(names = "--model", required = true, description = "The ONNX model to evaluate.")
  Path model;

  @Option(
      names = "--out",
      defaultValue = "evaluation",
      description =
          "Folder for evaluation.json and confusion-matrix.png. Default: ${DEFAULT-VALUE}.")
  Path out;

  @Override
  public Integer call() throws IOException {
    LabeledImages test = data.loadTest();
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0)) {
      Evaluation evaluation = evaluate(classifier, test);
      Files.createDirectories(out);
      Json.mapper()
          .writerWithDefaultPrettyPrinter()
          .writeValue(out.resolve("evaluation.json").toFile(), evaluation);
      Charts.confusionMatrix(evaluation, out.resolve("confusion-matrix.png"));
      System.out.printf(
          "%s %s: test accuracy %.4f on %,d images (model card says %s)%n",
          classifier.metadata().name(),
          classifier.metadata().version(),
          evaluation.accuracy(),
          evaluation.images(),
          classifier
              .metadata()
              .metric(MetricKeys.TEST_ACCURACY)
              .map("%.4f"::formatted)
              .orElse("nothing"));
    }
    return 0;
  }

  /** Runs the whole set through the classifier in batches, by the service's pipeline. */
  static Evaluation evaluate(OnnxClassifier classifier, LabeledImages test) {
    ImagePreprocessor preprocessor = ImagePreprocessor.forModel(classifier.metadata());
    List<String> labels = classifier.metadata().labels();
    int length = preprocessor.imageLength();
    int[] predicted = new int[test.size()];
    double loss = 0;
    for (int start = 0; start < test.size(); start += BATCH) {
      int n = Math.min(BATCH, test.size() - start);
      float[] batch = test.tensor(preprocessor, start, n);
      List<float[]> tensors = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        tensors.add(Arrays.copyOfRange(batch, i * length, (i + 1) * length));
      }
      // All classes ranked, so the true class's probability is there for the loss.
      List<PredictionResponse> ranked = ImagePipeline.rank(tensors, classifier, labels.size());
      for (int i = 0; i < n; i++) {
        PredictionResponse answer = ranked.get(i);
        predicted[start + i] = answer.classIndex();
        String truth = labels.get(test.labels()[start + i]);
        double p =
            answer.topK().stream()
                .filter(c -> c.label().equals(truth))
                .mapToDouble(PredictionResponse.ClassProbability::probability)
                .findFirst()
                .orElse(0);
        loss -= Math.log(Math.max(1e-12, p));
      }
    }
    return Evaluation.of(test.labels(), predicted, loss / Math.max(1, test.size()), Cifar10.LABELS);
  }
}
