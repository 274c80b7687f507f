package io.cifarserve.training.train;

/** What one epoch measured. */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double validationLoss,
    double validationAccuracy,
    double learningRate,
    double imagesPerSecond,
    double seconds) {}
