package io.cifarserve.training.evaluate;

import io.cifarserve.common.model.MetricKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification quality on a labelled set: accuracy, confusion matrix (rows are true classes,
 * columns predictions), per-class precision, recall and F1, and their macro and support-weighted
 * averages.
 */
public record Evaluation(
    int images,
    double accuracy,
    double loss,
    List<String> labels,
    int[][] confusionMatrix,
    List<ClassScores> perClass,
    Averages macroAverage,
    Averages weightedAverage) {

  /** Scores of one class; {@code support} is how many images truly belong to it. */
  public record ClassScores(
      String label, double precision, double recall, double f1, int support) {}

  public record Averages(double precision, double recall, double f1) {}

  public static Evaluation of(int[] truth, int[] predicted, double loss, List<String> labels) {
    int k = labels.size();
    int[][] confusion = new int[k][k];
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      confusion[truth[i]][predicted[i]]++;
      if (truth[i] == predicted[i]) {
        correct++;
      }
    }
    List<ClassScores> perClass = new ArrayList<>();
    double[] macro = new double[3];
    double[] weighted = new double[3];
    for (int c = 0; c < k; c++) {
      int tp = confusion[c][c];
      int support = 0;
      int predictedAsC = 0;
      for (int j = 0; j < k; j++) {
        support += confusion[c][j];
        predictedAsC += confusion[j][c];
      }
      double precision = predictedAsC == 0 ? 0 : (double) tp / predictedAsC;
      double recall = support == 0 ? 0 : (double) tp / support;
      double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
      perClass.add(new ClassScores(labels.get(c), precision, recall, f1, support));
      double[] scores = {precision, recall, f1};
      for (int s = 0; s < 3; s++) {
        macro[s] += scores[s] / k;
        weighted[s] += truth.length == 0 ? 0 : scores[s] * support / truth.length;
      }
    }
    return new Evaluation(
        truth.length,
        truth.length == 0 ? 0 : (double) correct / truth.length,
        loss,
        List.copyOf(labels),
        confusion,
        List.copyOf(perClass),
        new Averages(macro[0], macro[1], macro[2]),
        new Averages(weighted[0], weighted[1], weighted[2]));
  }

  /**
   * The numbers stored in ONNX metadata: accuracy, averages, per-class scores, and the confusion
   * matrix as {@code confusion.<true class>.<predicted class>} counts.
   */
  public Map<String, Double> asModelMetrics() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put(MetricKeys.TEST_ACCURACY, accuracy);
    metrics.put("test_images", (double) images);
    metrics.put("test_loss", loss);
    metrics.put("macro_f1", macroAverage.f1());
    metrics.put("weighted_precision", weightedAverage.precision());
    metrics.put("weighted_recall", weightedAverage.recall());
    metrics.put("weighted_f1", weightedAverage.f1());
    for (ClassScores scores : perClass) {
      metrics.put(MetricKeys.precision(scores.label()), scores.precision());
      metrics.put(MetricKeys.recall(scores.label()), scores.recall());
      metrics.put(MetricKeys.f1(scores.label()), scores.f1());
    }
    for (int t = 0; t < labels.size(); t++) {
      for (int p = 0; p < labels.size(); p++) {
        metrics.put(
            MetricKeys.confusion(labels.get(t), labels.get(p)), (double) confusionMatrix[t][p]);
      }
    }
    return metrics;
  }
}
