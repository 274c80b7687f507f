package io.cifarserve.mlflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/** A run as {@link FakeMlflowServer} holds it: what tests check a command recorded. */
public final class RecordedRun {
  public final String id;
  public final String experimentId;
  public final String name;
  public volatile String status = "RUNNING";
  public final Map<String, String> params = new ConcurrentHashMap<>();
  public final Map<String, String> tags = new ConcurrentHashMap<>();
  public final List<JsonNode> metrics = Collections.synchronizedList(new ArrayList<>());

  RecordedRun(String id, String experimentId, String name) {
    this.id = id;
    this.experimentId = experimentId;
    this.name = name;
  }

  public String artifactUri() {
    return "mlflow-artifacts:/%s/%s/artifacts".formatted(experimentId, id);
  }

  /** The values logged for a metric, in step order. */
  public List<Double> metric(String key) {
    synchronized (metrics) {
      return metrics.stream()
          .filter(m -> m.path("key").asString().equals(key))
          .sorted(Comparator.comparingLong(m -> m.path("step").asLong()))
          .map(m -> m.path("value").asDouble())
          .toList();
    }
  }
}
