package io.cifarserve.training.export;

import io.cifarserve.common.model.MetricKeys;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.training.evaluate.Evaluation;
import io.cifarserve.training.train.EpochMetrics;
import io.cifarserve.training.train.TrainingOptions;
import io.cifarserve.training.train.TrainingStages;
import java.util.List;

/** Renders the Markdown model card that travels inside the ONNX file and beside it. */
public final class ModelCard {

  /** Metric of a test-time-augmented model: its accuracy with one pass per picture. */
  public static final String SINGLE_VIEW_ACCURACY = MetricKeys.TEST_ACCURACY_SINGLE_VIEW;

  private ModelCard() {}

  /** Facts about the run that are not options. */
  public record RunFacts(String device, long parameters) {}

  public static String render(
      ModelMetadata metadata, Evaluation test, TrainingStages stages, RunFacts facts) {
    StringBuilder md = new StringBuilder();
    md.append("# Model card: ").append(metadata.name()).append(' ').append(metadata.version());
    md.append("\n\n## Summary\n\n");
    summary(md, metadata, test, stages.last().options(), facts);
    md.append("\n## Training recipe\n\n");
    trainingRecipe(md, stages, facts);
    md.append("\n## Per-class scores on the test set\n\n");
    perClass(md, test);
    md.append("\n## Limitations\n\n");
    limitations(md, metadata);
    return md.toString();
  }

  private static void summary(
      StringBuilder md,
      ModelMetadata metadata,
      Evaluation test,
      TrainingOptions options,
      RunFacts facts) {
    md.append("- **Task:** classify a picture into one of ")
        .append(metadata.labels().size())
        .append(" classes: ")
        .append(String.join(", ", metadata.labels()))
        .append(".\n");
    md.append("- **Training data:** ").append(metadata.trainingData()).append('\n');
    md.append(
        "- **Test accuracy:** %.2f%% on %,d held-out test images (macro F1 %.4f).%n"
            .formatted(100 * test.accuracy(), test.images(), test.macroAverage().f1()));
    metadata
        .metric(SINGLE_VIEW_ACCURACY)
        .ifPresent(
            single ->
                md.append(
                    "- **Prediction:** the model averages the logits of each picture and its mirror image (two passes per picture); one pass alone scores %.2f%%.%n"
                        .formatted(100 * single)));
    md.append("- **Architecture:** ")
        .append(metadata.architecture())
        .append(
            " (ResNet-18 with BasicBlocks, %s stem, %,d trainable parameters).%n"
                .formatted(options.stem().cliName(), facts.parameters()));
    md.append(
        "- **Input:** RGB, centre-cropped to a square, area-averaged to %dx%d, scaled to [0, 1], normalised with mean %s and std %s.%n"
            .formatted(
                metadata.inputSize(), metadata.inputSize(), metadata.mean(), metadata.std()));
    md.append("- **Exported:** ").append(metadata.createdAt()).append(", ONNX opset 17.\n");
  }

  private static void trainingRecipe(StringBuilder md, TrainingStages stages, RunFacts facts) {
    List<EpochMetrics> history = stages.epochs();
    if (stages.stages().size() == 1) {
      md.append(recipe(stages.last().options()));
    } else {
      md.append(
          "- %d epochs in %d stages: each stage starts from the weights the previous one ended with, with a fresh learning-rate schedule and momentum (a warm restart).%n"
              .formatted(history.size(), stages.stages().size()));
      for (int i = 0; i < stages.stages().size(); i++) {
        md.append("- Stage %d:%n".formatted(i + 1));
        recipe(stages.stages().get(i).options())
            .lines()
            .forEach(l -> md.append("  ").append(l).append('\n'));
      }
    }
    md.append(
        "- Trained on %s in %s (%.0f images/s on average)%n"
            .formatted(facts.device(), duration(stages.seconds()), stages.imagesPerSecond()));
    double cpu = stages.last().cpuSeconds();
    if (!Double.isNaN(cpu)) {
      md.append(
          "- The last stage took %s of wall time and %s of CPU time (all threads)%n"
              .formatted(duration(stages.last().seconds()), duration(cpu)));
    }
    if (!history.isEmpty()) {
      EpochMetrics last = history.get(history.size() - 1);
      md.append(
          "- Last epoch: training accuracy %.2f%%, %s%n"
              .formatted(
                  100 * last.trainAccuracy(),
                  Double.isNaN(last.validationAccuracy())
                      ? "no validation split"
                      : "validation accuracy %.2f%%".formatted(100 * last.validationAccuracy())));
    }
  }

  private static void perClass(StringBuilder md, Evaluation test) {
    md.append("| class | precision | recall | F1 | images |\n|---|---:|---:|---:|---:|\n");
    for (Evaluation.ClassScores s : test.perClass()) {
      md.append(
          "| %s | %.4f | %.4f | %.4f | %d |%n"
              .formatted(s.label(), s.precision(), s.recall(), s.f1(), s.support()));
    }
    md.append(
        "| **weighted average** | %.4f | %.4f | %.4f | %d |%n"
            .formatted(
                test.weightedAverage().precision(),
                test.weightedAverage().recall(),
                test.weightedAverage().f1(),
                test.images()));
  }

  private static void limitations(StringBuilder md, ModelMetadata metadata) {
    md.append(
        "- The model always answers with one of its %d classes; it has no \"none of these\". A picture of anything else still gets a label.%n"
            .formatted(metadata.labels().size()));
    md.append(
        "- It sees pictures at %dx%d pixels: fine detail is lost, and photos unlike the training data (framing, lighting, style) are classified less accurately than the test figure suggests.%n"
            .formatted(metadata.inputSize(), metadata.inputSize()));
    md.append("- Probabilities are softmax outputs, not calibrated confidences.\n");
  }

  private static String recipe(TrainingOptions options) {
    return "- %d epochs, batch size %d, SGD momentum %.2f%s, weight decay %.0e, %s%n"
            .formatted(
                options.epochs(),
                options.batchSize(),
                options.momentum(),
                options.nesterov() ? " (Nesterov)" : "",
                options.weightDecay(),
                options.schedule().equals("constant")
                    ? "constant learning rate %.3g".formatted(options.learningRate())
                    : "%s learning rate peaking at %.3g"
                        .formatted(options.schedule(), options.learningRate()))
        + "- Label smoothing %.2f; augmentation: %s; %s; seed %d%n"
            .formatted(
                options.labelSmoothing(),
                options.augment() ? "random crop (4 px padding) and horizontal flip" : "none",
                options.validationFraction() > 0
                    ? "%.0f%% of the training set held out for validation"
                        .formatted(100 * options.validationFraction())
                    : "no validation split (all training images trained on)",
                options.seed())
        + (options.averagesWeights()
            ? "- Stochastic weight averaging: the weights are the mean of those at the end of epochs %d to %d; batch-norm statistics were then measured on one augmented pass over the training images%n"
                .formatted(options.averageFromEpoch(), options.epochs())
            : "")
        + (options.exposesOutliers()
            ? "- Outlier exposure: each batch also carried %d random crops of pictures of other things (`--outliers`), with their cross-entropy to the uniform distribution added at weight %.2f; batch-norm statistics were then measured on the training images alone%n"
                .formatted(options.outliersPerBatch(), options.outlierWeight())
            : "");
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? "%dh %02dm".formatted(s / 3600, (s % 3600) / 60)
        : "%dm %02ds".formatted(s / 60, s % 60);
  }
}
