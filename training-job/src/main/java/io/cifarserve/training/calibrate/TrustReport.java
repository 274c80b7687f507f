package io.cifarserve.training.calibrate;

import io.cifarserve.common.model.Calibration;
import io.cifarserve.common.model.MetricKeys;
import io.cifarserve.common.model.ReliabilityBin;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link TrustAnalysis} chose and measured: the temperature, calibration before and after
 * (cross-fitted), each confidence score's figures, and the calibration shipped in the model.
 *
 * @param testImages test pictures fitted and reported on
 * @param outOfDistributionImages photographs of none of the classes; 0 when none were given
 * @param keepCorrect share of correctly classified pictures each threshold keeps confident
 * @param temperature fitted on the whole test set: the one shipped
 * @param foldTemperatures fitted on each half
 * @param before calibration at temperature 1
 * @param after calibration with each half's pictures at the other half's temperature
 * @param shipped what goes into the model's metadata
 * @param scores each confidence score's figures
 * @param probes made-up pictures under the shipped calibration
 */
public record TrustReport(
    int testImages,
    int outOfDistributionImages,
    double keepCorrect,
    double temperature,
    List<Double> foldTemperatures,
    Reliability before,
    Reliability after,
    Calibration shipped,
    List<ScoreResult> scores,
    List<ProbeResult> probes) {

  /**
   * One confidence score's figures.
   *
   * @param threshold fitted on the whole test set
   * @param foldThresholds fitted on each half
   * @param testFlagged share of test pictures unsure, cross-fitted
   * @param confidentAccuracy accuracy on the test pictures not flagged, cross-fitted
   * @param misclassificationAuroc how well the score ranks correct answers above wrong ones
   * @param aurc area under the risk-coverage curve (mean error rate over coverages; lower is
   *     better)
   * @param outOfDistributionAuroc how well it ranks test pictures above the photographs; null
   *     without photographs
   * @param outOfDistributionFlagged share of the photographs unsure; null without photographs
   * @param riskCoverage error rate among the most confident pictures, by coverage
   */
  public record ScoreResult(
      String score,
      double threshold,
      List<Double> foldThresholds,
      double testFlagged,
      double confidentAccuracy,
      double misclassificationAuroc,
      double aurc,
      Double outOfDistributionAuroc,
      Double outOfDistributionFlagged,
      List<CurvePoint> riskCoverage) {}

  public record CurvePoint(double coverage, double risk) {}

  /** A made-up picture's score under the shipped calibration. */
  public record ProbeResult(String name, double score, boolean unsure, double topProbability) {}

  /** The figures of the score that was shipped. */
  public ScoreResult chosen() {
    return scores.stream()
        .filter(s -> s.score().equals(shipped.score().id()))
        .findFirst()
        .orElseThrow();
  }

  /** The numbers stored in the model's metadata, next to its test metrics. */
  public Map<String, Double> asModelMetrics() {
    Map<String, Double> metrics = new TreeMap<>();
    metrics.put(MetricKeys.ECE_BEFORE, before.ece());
    metrics.put(MetricKeys.ECE_AFTER, after.ece());
    ReliabilityBin.writeTo(metrics, MetricKeys.BEFORE, before.bins());
    ReliabilityBin.writeTo(metrics, MetricKeys.AFTER, after.bins());
    metrics.put("calibration.nll_before", before.nll());
    metrics.put("calibration.nll_after", after.nll());
    metrics.put("calibration.brier_before", before.brier());
    metrics.put("calibration.brier_after", after.brier());
    ScoreResult chosen = chosen();
    metrics.put("unsure.test_flagged", chosen.testFlagged());
    metrics.put("unsure.confident_accuracy", chosen.confidentAccuracy());
    if (chosen.outOfDistributionAuroc() != null) {
      metrics.put("unsure.ood_auroc", chosen.outOfDistributionAuroc());
      metrics.put("unsure.ood_flagged", chosen.outOfDistributionFlagged());
      metrics.put("unsure.ood_images", (double) outOfDistributionImages);
    }
    return metrics;
  }
}
