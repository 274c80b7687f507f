package io.cifarserve.mlflow;

/** One metric value at a step (an epoch, say), with the time it was measured in epoch millis. */
public record Metric(String key, double value, long timestamp, long step) {}
