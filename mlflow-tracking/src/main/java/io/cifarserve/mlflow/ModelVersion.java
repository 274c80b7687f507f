package io.cifarserve.mlflow;

/** A registered model's version: where its files are and which run made it. */
public record ModelVersion(String name, String version, String source, String runId) {}
