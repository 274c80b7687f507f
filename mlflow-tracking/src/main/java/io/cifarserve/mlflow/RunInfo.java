package io.cifarserve.mlflow;

/**
 * A run on the server.
 *
 * @param artifactUri where its artifacts live, {@code mlflow-artifacts:/...} when the server
 *     proxies them
 */
public record RunInfo(String runId, String experimentId, String artifactUri) {}
