package io.cifarserve.training;

import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.model.MetricKeys;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.evaluate.Charts;
import io.cifarserve.training.evaluate.Evaluation;
import io.cifarserve.training.evaluate.OnnxEvaluation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
final class EvaluateCommand extends TrackedCommand {

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
  Path outputFolder() {
    return out;
  }

  @Override
  int work() throws IOException {
    LabeledImages test = data.loadTest();
    logDataDigest(Versions.sha256(test));
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0)) {
      Evaluation evaluation = OnnxEvaluation.evaluate(classifier, test);
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
}
