package io.cifarserve.training.data;

/** The official training and test sets. */
public record CifarSplit(LabeledImages train, LabeledImages test, String source) {}
