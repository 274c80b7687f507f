package io.cifarserve.common.api;

import io.cifarserve.common.model.MetricKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the inference API says about the model it serves ({@code GET /api/v1/model}): its metadata,
 * what it was trained on, its measured metrics and its model card.
 */
public record ModelInfo(
    String name,
    String version,
    String architecture,
    int inputSize,
    List<String> labels,
    List<Float> mean,
    List<Float> std,
    String trainingData,
    Map<String, Double> metrics,
    Instant createdAt,
    String modelCard,
    CalibrationInfo calibration,
    String source,
    Instant loadedAt) {

  /** The test accuracy the metadata records, or null. */
  public Double testAccuracy() {
    return metrics.get(MetricKeys.TEST_ACCURACY);
  }
}
