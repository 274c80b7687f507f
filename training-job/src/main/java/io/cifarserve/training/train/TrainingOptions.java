package io.cifarserve.training.train;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.cifarserve.training.model.Stem;

/**
 * Everything that decides how a network is trained; recorded in params.json and checkpoints.
 *
 * @param averageFromEpoch first epoch whose end weights are averaged into the final model
 *     (stochastic weight averaging); 0 trains without averaging
 * @param outliersPerBatch outlier crops added to each batch (outlier exposure); 0: none
 * @param outlierWeight weight of the outlier loss (cross-entropy to the uniform distribution)
 *     beside the classification loss
 * @param syntheticOutlierShare share of the outlier crops replaced by made-up pictures (noise,
 *     colour blobs, shuffled tiles of training pictures); 0: real crops only
 */
public record TrainingOptions(
    Stem stem,
    int width,
    int epochs,
    int batchSize,
    double learningRate,
    String schedule,
    double momentum,
    boolean nesterov,
    double weightDecay,
    double labelSmoothing,
    double validationFraction,
    boolean augment,
    long seed,
    // Absent from checkpoints written before averaging existed: 0, no averaging.
    @JsonSetter(nulls = Nulls.AS_EMPTY) int averageFromEpoch,
    // Absent from checkpoints written before outlier exposure existed: 0, none.
    @JsonSetter(nulls = Nulls.AS_EMPTY) int outliersPerBatch,
    @JsonSetter(nulls = Nulls.AS_EMPTY) double outlierWeight,
    // Absent from checkpoints written before synthetic outliers existed: 0, none.
    @JsonSetter(nulls = Nulls.AS_EMPTY) double syntheticOutlierShare) {

  /** Options without outlier exposure. */
  public TrainingOptions(
      Stem stem,
      int width,
      int epochs,
      int batchSize,
      double learningRate,
      String schedule,
      double momentum,
      boolean nesterov,
      double weightDecay,
      double labelSmoothing,
      double validationFraction,
      boolean augment,
      long seed,
      int averageFromEpoch) {
    this(
        stem,
        width,
        epochs,
        batchSize,
        learningRate,
        schedule,
        momentum,
        nesterov,
        weightDecay,
        labelSmoothing,
        validationFraction,
        augment,
        seed,
        averageFromEpoch,
        0,
        0,
        0);
  }

  public TrainingOptions {
    if (epochs <= 0 || batchSize <= 0 || width <= 0) {
      throw new IllegalArgumentException("epochs, batch size and width must be positive");
    }
    if (labelSmoothing < 0 || labelSmoothing >= 1) {
      throw new IllegalArgumentException("label smoothing must be in [0, 1)");
    }
    if (averageFromEpoch < 0 || averageFromEpoch > epochs) {
      throw new IllegalArgumentException(
          "the first averaged epoch must be between 1 and the number of epochs (0: no averaging)");
    }
    if (outliersPerBatch < 0 || !(outlierWeight >= 0)) {
      throw new IllegalArgumentException("outliers per batch and their weight cannot be negative");
    }
    if (!(syntheticOutlierShare >= 0 && syntheticOutlierShare <= 1)) {
      throw new IllegalArgumentException("the share of synthetic outliers must be in [0, 1]");
    }
  }

  public boolean exposesOutliers() {
    return outliersPerBatch > 0;
  }

  public boolean averagesWeights() {
    return averageFromEpoch > 0;
  }
}
