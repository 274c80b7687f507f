package io.cifarserve.mlflow;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calls this platform makes to an MLflow tracking server's REST API ({@code /api/2.0}): runs,
 * metrics and parameters, artifacts through the server's artifact proxy, and the model registry.
 * Each call has a deadline; failures are {@link MlflowException}s, and callers decide whether to
 * retry ({@link MlflowException#isTransient()}).
 */
public final class MlflowClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TRANSFER_TIMEOUT = Duration.ofMinutes(10);

  private final MlflowSettings settings;
  private final HttpClient http;
  private final JsonMapper json = JsonMapper.builder().build();

  public MlflowClient(MlflowSettings settings) {
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public MlflowSettings settings() {
    return settings;
  }

  /** The id of the experiment with this name, created if the server has none. */
  public String experimentId(String name) {
    try {
      return get("/mlflow/experiments/get-by-name", Map.of("experiment_name", name))
          .path("experiment")
          .path("experiment_id")
          .asString();
    } catch (MlflowException e) {
      if (!e.is("RESOURCE_DOES_NOT_EXIST")) {
        throw e;
      }
    }
    try {
      return post("/mlflow/experiments/create", Map.of("name", name))
          .path("experiment_id")
          .asString();
    } catch (MlflowException e) {
      if (e.is("RESOURCE_ALREADY_EXISTS")) { // created meanwhile by another process
        return experimentId(name);
      }
      throw e;
    }
  }

  public RunInfo createRun(
      String experimentId, String runName, long startMillis, Map<String, String> tags) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("experiment_id", experimentId);
    body.put("run_name", runName);
    body.put("start_time", startMillis);
    body.put("tags", keyValues(tags));
    return runInfo(post("/mlflow/runs/create", body).path("run").path("info"));
  }

  public RunInfo getRun(String runId) {
    return runInfo(get("/mlflow/runs/get", Map.of("run_id", runId)).path("run").path("info"));
  }

  /** The run's tags and latest metric values, for summaries. */
  public JsonNode getRunData(String runId) {
    return get("/mlflow/runs/get", Map.of("run_id", runId)).path("run").path("data");
  }

  public void updateRun(String runId, RunStatus status, long endMillis) {
    post(
        "/mlflow/runs/update",
        Map.of("run_id", runId, "status", status.name(), "end_time", endMillis));
  }

  /**
   * Logs metrics, parameters and tags, split into requests within the server's limits (1,000
   * metrics, 100 parameters and 100 tags each).
   */
  public void logBatch(
      String runId, List<Metric> metrics, Map<String, String> params, Map<String, String> tags) {
    List<Map<String, Object>> metricItems =
        metrics.stream()
            .filter(m -> Double.isFinite(m.value()))
            .map(
                m ->
                    Map.<String, Object>of(
                        "key", m.key(),
                        "value", m.value(),
                        "timestamp", m.timestamp(),
                        "step", m.step()))
            .toList();
    List<Map<String, Object>> paramItems = keyValues(Limits.params(params));
    List<Map<String, Object>> tagItems = keyValues(Limits.tags(tags));
    int requests =
        Math.max(
            1,
            Math.max(
                chunks(metricItems.size(), Limits.METRICS_PER_BATCH),
                Math.max(
                    chunks(paramItems.size(), Limits.PARAMS_PER_BATCH),
                    chunks(tagItems.size(), Limits.TAGS_PER_BATCH))));
    for (int i = 0; i < requests; i++) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("run_id", runId);
      body.put("metrics", slice(metricItems, i, Limits.METRICS_PER_BATCH));
      body.put("params", slice(paramItems, i, Limits.PARAMS_PER_BATCH));
      body.put("tags", slice(tagItems, i, Limits.TAGS_PER_BATCH));
      post("/mlflow/runs/log-batch", body);
    }
  }

  public void setTag(String runId, String key, String value) {
    post("/mlflow/runs/set-tag", Map.of("run_id", runId, "key", key, "value", value));
  }

  /** Uploads a file to {@code path} under an artifact root (a run's, say) through the proxy. */
  public void uploadArtifact(String artifactRoot, String path, Path file) {
    try {
      HttpRequest request =
          request(ArtifactUris.proxy(settings, artifactRoot, path), TRANSFER_TIMEOUT)
              .header("Content-Type", "application/octet-stream")
              .PUT(HttpRequest.BodyPublishers.ofFile(file))
              .build();
      send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Downloads {@code path} under an artifact root into {@code target}, replacing it whole. */
  public void downloadArtifact(String artifactRoot, String path, Path target) {
    HttpRequest request =
        request(ArtifactUris.proxy(settings, artifactRoot, path), TRANSFER_TIMEOUT).GET().build();
    HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      Path partial = target.resolveSibling(target.getFileName() + ".part");
      Files.copy(body, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new MlflowException(0, "", "download of " + path + " broke off: " + e, e);
    }
  }

  /**
   * Registers a model version made by a run, creating the registered model the first time.
   *
   * @param source the artifact folder holding the model files
   */
  public ModelVersion createModelVersion(String name, String source, String runId) {
    try {
      post("/mlflow/registered-models/create", Map.of("name", name));
    } catch (MlflowException e) {
      if (!e.is("RESOURCE_ALREADY_EXISTS")) {
        throw e;
      }
    }
    return modelVersion(
        post(
                "/mlflow/model-versions/create",
                Map.of("name", name, "source", source, "run_id", runId))
            .path("model_version"));
  }

  public void setModelVersionTag(String name, String version, String key, String value) {
    post(
        "/mlflow/model-versions/set-tag",
        Map.of("name", name, "version", version, "key", key, "value", value));
  }

  public void setAlias(String name, String alias, String version) {
    post(
        "/mlflow/registered-models/alias",
        Map.of("name", name, "alias", alias, "version", version));
  }

  public ModelVersion versionByAlias(String name, String alias) {
    return modelVersion(
        get("/mlflow/registered-models/alias", Map.of("name", name, "alias", alias))
            .path("model_version"));
  }

  public ModelVersion version(String name, String version) {
    return modelVersion(
        get("/mlflow/model-versions/get", Map.of("name", name, "version", version))
            .path("model_version"));
  }

  /** Where a version's files can be downloaded from: {@code mlflow-artifacts:/...}. */
  public String downloadUri(String name, String version) {
    return get("/mlflow/model-versions/get-download-uri", Map.of("name", name, "version", version))
        .path("artifact_uri")
        .asString();
  }

  private JsonNode get(String path, Map<String, String> query) {
    String encoded =
        query.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    URI uri = URI.create(settings.api(path) + "?" + encoded);
    return parse(send(request(uri, CALL_TIMEOUT).GET().build(), ofString()), path);
  }

  private JsonNode post(String path, Map<String, ?> body) {
    HttpRequest request =
        request(settings.api(path), CALL_TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
            .build();
    return parse(send(request, ofString()), path);
  }

  private HttpRequest.Builder request(URI uri, Duration timeout) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout);
    settings.authorization().ifPresent(value -> builder.header("Authorization", value));
    return builder;
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    HttpResponse<T> response;
    try {
      response = http.send(request, handler);
    } catch (IOException e) {
      throw new MlflowException(
          0,
          "",
          "no answer from the MLflow tracking server at %s: %s"
              .formatted(settings.trackingUri(), e),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MlflowException(0, "", "interrupted while calling " + request.uri(), e);
    }
    if (response.statusCode() / 100 != 2) {
      throw error(request, response);
    }
    return response;
  }

  private MlflowException error(HttpRequest request, HttpResponse<?> response) {
    String body = response.body() instanceof String s ? s : drain(response.body());
    String code = "";
    String message = body.length() > 300 ? body.substring(0, 300) + "..." : body;
    try {
      JsonNode error = json.readTree(body);
      code = error.path("error_code").asString("");
      message = error.path("message").asString(message);
    } catch (JacksonException e) {
      // not MLflow's JSON error (a proxy's page, say): keep the text
    }
    return new MlflowException(
        response.statusCode(),
        code,
        "%s %s answered %d %s: %s"
            .formatted(
                request.method(), request.uri().getPath(), response.statusCode(), code, message),
        null);
  }

  private static String drain(Object body) {
    if (body instanceof InputStream in) {
      try (in) {
        return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
      } catch (IOException e) {
        return "";
      }
    }
    return "";
  }

  private JsonNode parse(HttpResponse<String> response, String path) {
    try {
      return response.body().isBlank() ? json.createObjectNode() : json.readTree(response.body());
    } catch (JacksonException e) {
      throw new MlflowException(
          response.statusCode(), "", path + " answered something other than JSON", e);
    }
  }

  private static RunInfo runInfo(JsonNode info) {
    return new RunInfo(
        info.path("run_id").asString(),
        info.path("experiment_id").asString(),
        info.path("artifact_uri").asString());
  }

  private static ModelVersion modelVersion(JsonNode version) {
    return new ModelVersion(
        version.path("name").asString(),
        version.path("version").asString(),
        version.path("source").asString(),
        version.path("run_id").asString(""));
  }

  private static List<Map<String, Object>> keyValues(Map<String, String> values) {
    List<Map<String, Object>> items = new ArrayList<>();
    values.forEach((key, value) -> items.add(Map.of("key", key, "value", value)));
    return items;
  }

  private static int chunks(int size, int per) {
    return (size + per - 1) / per;
  }

  private static <T> List<T> slice(List<T> items, int chunk, int per) {
    int from = Math.min(items.size(), chunk * per);
    return items.subList(from, Math.min(items.size(), from + per));
  }
}
