package io.cifarserve.training.tracking;

import io.cifarserve.training.train.EpochMetrics;
import java.util.LinkedHashMap;
import java.util.Map;

/** An epoch's figures under the metric names a tracked run logs them with, step = epoch. */
public final class EpochLog {

  private EpochLog() {}

  public static Map<String, Double> metrics(EpochMetrics epoch) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("train_loss", epoch.trainLoss());
    metrics.put("train_accuracy", epoch.trainAccuracy());
    metrics.put("val_loss", epoch.validationLoss());
    metrics.put("val_accuracy", epoch.validationAccuracy());
    metrics.put("learning_rate", epoch.learningRate());
    metrics.put("images_per_second", epoch.imagesPerSecond());
    metrics.put("epoch_seconds", epoch.seconds());
    metrics.put("outlier_loss", epoch.outlierLoss());
    return metrics;
  }
}
