package io.cifarserve.common.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One bin of a reliability diagram: the pictures whose top probability falls in {@code [lower,
 * upper)}, their mean top probability and the share of them classified correctly. Stored in model
 * metadata as metrics, so the website can draw the diagram of the model it shows.
 */
public record ReliabilityBin(
    double lower, double upper, int count, double confidence, double accuracy) {

  /** The metrics for a list of bins, under {@code calibration.<stage>.bin.<index>.*}. */
  public static void writeTo(Map<String, Double> metrics, String stage, List<ReliabilityBin> bins) {
    for (int i = 0; i < bins.size(); i++) {
      ReliabilityBin bin = bins.get(i);
      metrics.put(MetricKeys.reliabilityBin(stage, i, "count"), (double) bin.count());
      metrics.put(MetricKeys.reliabilityBin(stage, i, "confidence"), bin.confidence());
      metrics.put(MetricKeys.reliabilityBin(stage, i, "accuracy"), bin.accuracy());
    }
  }

  /** Bins read back from metrics, equal-width over [0, 1]; empty when the model has none. */
  public static List<ReliabilityBin> readFrom(Map<String, Double> metrics, String stage) {
    int n = 0;
    while (metrics.containsKey(MetricKeys.reliabilityBin(stage, n, "count"))) {
      n++;
    }
    List<ReliabilityBin> bins = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      bins.add(
          new ReliabilityBin(
              (double) i / n,
              (double) (i + 1) / n,
              (int) Math.round(metrics.get(MetricKeys.reliabilityBin(stage, i, "count"))),
              metrics.getOrDefault(MetricKeys.reliabilityBin(stage, i, "confidence"), 0.0),
              metrics.getOrDefault(MetricKeys.reliabilityBin(stage, i, "accuracy"), 0.0)));
    }
    return bins;
  }
}
