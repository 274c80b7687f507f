package io.cifarserve.training.train;

import io.cifarserve.training.model.Stem;

/** Everything that decides how a network is trained; recorded in params.json and checkpoints. */
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
    long seed) {

  public TrainingOptions {
    if (epochs <= 0 || batchSize <= 0 || width <= 0) {
      throw new IllegalArgumentException("epochs, batch size and width must be positive");
    }
    if (labelSmoothing < 0 || labelSmoothing >= 1) {
      throw new IllegalArgumentException("label smoothing must be in [0, 1)");
    }
  }
}
