package io.cifarserve.training.calibrate;

import io.cifarserve.common.model.ReliabilityBin;
import java.util.ArrayList;
import java.util.List;

/**
 * How well probabilities match how often the model is right: expected calibration error over
 * equal-width bins of the top probability, negative log-likelihood and the multi-class Brier score,
 * with the bins kept for the reliability diagram.
 */
public record Reliability(double ece, double nll, double brier, List<ReliabilityBin> bins) {

  public static final int BINS = 15;

  /** Measures one row of probabilities per picture against the true classes. */
  public static Reliability of(float[][] probabilities, int[] labels) {
    int n = labels.length;
    int[] counts = new int[BINS];
    double[] confidence = new double[BINS];
    double[] correct = new double[BINS];
    double nll = 0;
    double brier = 0;
    for (int i = 0; i < n; i++) {
      float[] row = probabilities[i];
      int best = 0;
      for (int c = 0; c < row.length; c++) {
        if (row[c] > row[best]) {
          best = c;
        }
        double target = c == labels[i] ? 1 : 0;
        brier += (row[c] - target) * (row[c] - target);
      }
      nll -= Math.log(Math.max(1e-12, row[labels[i]]));
      int bin = Math.min(BINS - 1, (int) (row[best] * BINS));
      counts[bin]++;
      confidence[bin] += row[best];
      correct[bin] += best == labels[i] ? 1 : 0;
    }
    List<ReliabilityBin> bins = new ArrayList<>();
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      double meanConfidence = counts[b] == 0 ? 0 : confidence[b] / counts[b];
      double accuracy = counts[b] == 0 ? 0 : correct[b] / counts[b];
      ece += Math.abs(accuracy - meanConfidence) * counts[b] / Math.max(1, n);
      bins.add(
          new ReliabilityBin(
              (double) b / BINS, (double) (b + 1) / BINS, counts[b], meanConfidence, accuracy));
    }
    return new Reliability(ece, nll / Math.max(1, n), brier / Math.max(1, n), List.copyOf(bins));
  }
}
