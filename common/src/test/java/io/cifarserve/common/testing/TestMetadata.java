package io.cifarserve.common.testing;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.model.Calibration;
import io.cifarserve.common.model.MetricKeys;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.model.ReliabilityBin;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Metadata of the tests' colour classifier ({@code TestModels} in onnx-graph's test jar writes the
 * model itself): a red picture is an airplane, green an automobile, blue a bird.
 */
public final class TestMetadata {

  public static final String TRAINING_DATA = "none: hand-set weights for tests";

  private TestMetadata() {}

  public static ModelMetadata colourClassifierMetadata(String version, int inputSize) {
    return new ModelMetadata(
        "test-colour-classifier",
        version,
        "mean-colour-linear",
        inputSize,
        Cifar10.LABELS,
        Cifar10.MEAN,
        Cifar10.STD,
        TRAINING_DATA,
        Map.of("test_accuracy", 0.3),
        Instant.parse("2026-01-01T00:00:00Z"),
        "# Test colour classifier\nNot a real model.",
        Calibration.NONE);
  }

  /**
   * The colour classifier's metadata with its labels in reverse order (a red picture is then a
   * truck) and the given name, version and normalisation: a second, distinguishable model.
   */
  public static ModelMetadata reversedColourClassifierMetadata(
      String name, String version, List<Float> mean, List<Float> std) {
    ModelMetadata base = colourClassifierMetadata(version, Cifar10.IMAGE_SIZE);
    List<String> labels = new java.util.ArrayList<>(Cifar10.LABELS);
    java.util.Collections.reverse(labels);
    return new ModelMetadata(
        name,
        version,
        base.architecture(),
        base.inputSize(),
        labels,
        mean,
        std,
        base.trainingData(),
        base.metrics(),
        base.createdAt(),
        base.modelCard(),
        base.calibration());
  }

  /**
   * The colour classifier with a calibration: temperature 1, unsure under a top probability of
   * {@value #UNSURE_BELOW}, and reliability bins in its metrics. A pure red picture is a confident
   * airplane (about 0.5); a grey one gives all classes about 0.1 and is unsure.
   */
  public static ModelMetadata calibratedColourClassifierMetadata(String version) {
    ModelMetadata base = colourClassifierMetadata(version, Cifar10.IMAGE_SIZE);
    Map<String, Double> metrics = new java.util.HashMap<>(base.metrics());
    List<ReliabilityBin> bins = new java.util.ArrayList<>();
    for (int i = 0; i < 15; i++) {
      bins.add(new ReliabilityBin(i / 15.0, (i + 1) / 15.0, 10, (i + 0.5) / 15, i / 15.0));
    }
    ReliabilityBin.writeTo(metrics, MetricKeys.BEFORE, bins);
    ReliabilityBin.writeTo(metrics, MetricKeys.AFTER, bins);
    metrics.put(MetricKeys.ECE_BEFORE, 0.05);
    metrics.put(MetricKeys.ECE_AFTER, 0.02);
    // Figures on pictures of other things, as calibrate --ood-eval-dir records them.
    for (String source : List.of("gnome-backgrounds", "lomiri-wallpapers-16.04", "all")) {
      metrics.put("ood." + source + ".pictures", 10.0);
      metrics.put("ood." + source + ".flagged", 0.875);
      metrics.put("ood." + source + ".auroc", 0.9625);
      metrics.put("ood." + source + ".fpr95", 0.125);
    }
    return base.withCalibration(
        new Calibration(1, Calibration.Score.MAX_PROBABILITY, UNSURE_BELOW),
        metrics,
        base.modelCard());
  }

  public static final double UNSURE_BELOW = 0.3;
}
