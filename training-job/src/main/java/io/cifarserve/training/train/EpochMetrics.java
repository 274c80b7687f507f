package io.cifarserve.training.train;

/**
 * What one epoch measured.
 *
 * @param trainLoss the classification loss on the training images
 * @param outlierLoss with outlier exposure, the mean cross-entropy of the outlier crops'
 *     predictions to the uniform distribution (ln 10 = 2.30 at best); NaN without
 * @param imagesPerSecond training images per second, outlier crops not counted
 * @param cpuSeconds the process's CPU time over the epoch, all threads; NaN where not measured
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double validationLoss,
    double validationAccuracy,
    double learningRate,
    double imagesPerSecond,
    double seconds,
    Double outlierLoss,
    Double cpuSeconds) {

  /** Runs recorded before these figures existed lack them: not measured. */
  public EpochMetrics {
    outlierLoss = outlierLoss == null ? Double.NaN : outlierLoss;
    cpuSeconds = cpuSeconds == null ? Double.NaN : cpuSeconds;
  }

  /** An epoch without outlier exposure. */
  public EpochMetrics(
      int epoch,
      double trainLoss,
      double trainAccuracy,
      double validationLoss,
      double validationAccuracy,
      double learningRate,
      double imagesPerSecond,
      double seconds) {
    this(
        epoch,
        trainLoss,
        trainAccuracy,
        validationLoss,
        validationAccuracy,
        learningRate,
        imagesPerSecond,
        seconds,
        Double.NaN,
        Double.NaN);
  }

  /** The same figures under another epoch number (stages numbered on from each other). */
  public EpochMetrics renumbered(int number) {
    return new EpochMetrics(
        number,
        trainLoss,
        trainAccuracy,
        validationLoss,
        validationAccuracy,
        learningRate,
        imagesPerSecond,
        seconds,
        outlierLoss,
        cpuSeconds);
  }
}
