package io.cifarserve.mlflow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What {@link FakeMlflowServer} keeps in memory, and what each RPC does to it: experiments, runs
 * with their parameters, tags and metrics, artifacts, registered models, versions and aliases.
 */
final class FakeMlflowStore {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, String> experiments = new ConcurrentHashMap<>(Map.of("Default", "0"));
  private final Map<String, RecordedRun> runs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
  private final Map<String, List<ObjectNode>> versions = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(100);

  public List<RecordedRun> runs() {
    return List.copyOf(runs.values());
  }

  /** The runs of an experiment, by its name. */
  public List<RecordedRun> runs(String experimentName) {
    String id = experiments.get(experimentName);
    return runs.values().stream().filter(r -> r.experimentId.equals(id)).toList();
  }

  public RecordedRun run(String id) {
    return runs.get(id);
  }

  public Optional<byte[]> artifact(String runId, String path) {
    RecordedRun run = runs.get(runId);
    return Optional.ofNullable(
        artifacts.get(run.experimentId + "/" + run.id + "/artifacts/" + path));
  }

  /** The artifact paths of a run, relative to its root. */
  public List<String> artifactPaths(String runId) {
    RecordedRun run = runs.get(runId);
    String prefix = run.experimentId + "/" + run.id + "/artifacts/";
    return artifacts.keySet().stream()
        .filter(p -> p.startsWith(prefix))
        .map(p -> p.substring(prefix.length()))
        .sorted()
        .toList();
  }

  /** The version an alias points at, if any. */
  public Optional<String> alias(String model, String alias) {
    return Optional.ofNullable(aliases.get(model + "@" + alias));
  }

  /** A version's tags. */
  public Map<String, String> versionTags(String model, String version) {
    Map<String, String> tags = new LinkedHashMap<>();
    findVersion(model, version)
        .ifPresent(
            v ->
                v.path("tags")
                    .forEach(t -> tags.put(t.path("key").asString(), t.path("value").asString())));
    return tags;
  }

  /** Whether a path ({@code EXPERIMENT/RUN/artifacts/...}) lies under a known run's artifacts. */
  boolean isRunArtifact(String path) {
    String[] parts = path.split("/");
    RecordedRun run = parts.length > 3 ? runs.get(parts[1]) : null;
    return run != null && parts[0].equals(run.experimentId) && parts[2].equals("artifacts");
  }

  void putArtifact(String path, byte[] bytes) {
    artifacts.put(path, bytes);
  }

  Optional<byte[]> artifactAt(String path) {
    return Optional.ofNullable(artifacts.get(path));
  }

  static final class MlflowError extends RuntimeException {
    final int status;
    final String code;

    MlflowError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  /** Does what the RPC does and returns its response. */
  ObjectNode dispatch(String rpc, JsonNode request) {
    ObjectNode response = JSON.createObjectNode();
    switch (rpc) {
      case "getExperimentByName" -> {
        String name = request.path("experiment_name").asString();
        String id = experiments.get(name);
        if (id == null) {
          throw new MlflowError(
              404, "RESOURCE_DOES_NOT_EXIST", "Could not find experiment with name '" + name + "'");
        }
        response.set("experiment", experiment(name, id));
      }
      case "createExperiment" -> {
        String name = request.path("name").asString();
        if (experiments.putIfAbsent(name, Integer.toString(ids.incrementAndGet())) != null) {
          throw new MlflowError(
              400, "RESOURCE_ALREADY_EXISTS", "Experiment '" + name + "' already exists.");
        }
        response.put("experiment_id", experiments.get(name));
      }
      case "createRun" -> {
        String experimentId = request.path("experiment_id").asString("0");
        if (!experiments.containsValue(experimentId)) {
          throw new MlflowError(404, "RESOURCE_DOES_NOT_EXIST", "No experiment " + experimentId);
        }
        String id = UUID.randomUUID().toString().replace("-", "");
        RecordedRun run = new RecordedRun(id, experimentId, request.path("run_name").asString(""));
        request
            .path("tags")
            .forEach(t -> run.tags.put(t.path("key").asString(), t.path("value").asString("")));
        runs.put(id, run);
        response.putObject("run").set("info", runInfo(run));
      }
      case "updateRun" -> {
        RecordedRun run = run(request);
        if (request.has("status")) {
          run.status = request.path("status").asString();
        }
        response.set("run_info", runInfo(run));
      }
      case "logBatch" -> logBatch(run(request), request);
      case "setTag" ->
          run(request).tags.put(request.path("key").asString(), request.path("value").asString());
      case "getRun" -> {
        RecordedRun run = run(request);
        ObjectNode body = response.putObject("run");
        body.set("info", runInfo(run));
        ObjectNode data = body.putObject("data");
        ArrayNode params = data.putArray("params");
        run.params.forEach((k, v) -> params.addObject().put("key", k).put("value", v));
        ArrayNode tags = data.putArray("tags");
        run.tags.forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
      }
      case "createRegisteredModel" -> {
        String name = request.path("name").asString();
        if (versions.putIfAbsent(name, Collections.synchronizedList(new ArrayList<>())) != null) {
          throw new MlflowError(
              400,
              "RESOURCE_ALREADY_EXISTS",
              "Registered Model (name=" + name + ") already exists.");
        }
        response.putObject("registered_model").put("name", name);
      }
      case "createModelVersion" -> response.set("model_version", createVersion(request));
      case "setModelVersionTag" -> {
        ObjectNode version =
            requireVersion(request.path("name").asString(), request.path("version").asString());
        version
            .withArray("tags")
            .addObject()
            .put("key", request.path("key").asString())
            .put("value", request.path("value").asString());
      }
      case "setRegisteredModelAlias" -> {
        String name = request.path("name").asString();
        requireVersion(name, request.path("version").asString());
        aliases.put(
            name + "@" + request.path("alias").asString(), request.path("version").asString());
      }
      case "getModelVersionByAlias" -> {
        String name = request.path("name").asString();
        String version = aliases.get(name + "@" + request.path("alias").asString());
        if (version == null) {
          throw new MlflowError(
              400,
              "INVALID_PARAMETER_VALUE",
              "Registered model alias " + request.path("alias").asString() + " not found.");
        }
        response.set("model_version", requireVersion(name, version));
      }
      case "getModelVersion" ->
          response.set(
              "model_version",
              requireVersion(request.path("name").asString(), request.path("version").asString()));
      case "getModelVersionDownloadUri" ->
          response.put(
              "artifact_uri",
              requireVersion(request.path("name").asString(), request.path("version").asString())
                  .path("source")
                  .asString());
      default ->
          throw new MlflowError(
              501, "NOT_IMPLEMENTED", "the fake server does not implement " + rpc);
    }
    return response;
  }

  private ObjectNode experiment(String name, String id) {
    ObjectNode experiment = JSON.createObjectNode();
    experiment
        .put("experiment_id", id)
        .put("name", name)
        .put("artifact_location", "mlflow-artifacts:/" + id)
        .put("lifecycle_stage", "active");
    return experiment;
  }

  private RecordedRun run(JsonNode request) {
    RecordedRun run = runs.get(request.path("run_id").asString());
    if (run == null) {
      throw new MlflowError(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          "Run '" + request.path("run_id").asString() + "' not found");
    }
    return run;
  }

  private static ObjectNode runInfo(RecordedRun run) {
    ObjectNode info = JSON.createObjectNode();
    info.put("run_id", run.id)
        .put("run_uuid", run.id)
        .put("run_name", run.name)
        .put("experiment_id", run.experimentId)
        .put("status", run.status)
        .put("start_time", 1L)
        .put("artifact_uri", run.artifactUri())
        .put("lifecycle_stage", "active");
    return info;
  }

  private void logBatch(RecordedRun run, JsonNode request) {
    for (JsonNode param : request.path("params")) {
      String key = param.path("key").asString();
      String value = param.path("value").asString("");
      String before = run.params.putIfAbsent(key, value);
      if (before != null && !before.equals(value)) {
        throw new MlflowError(
            400,
            "INVALID_PARAMETER_VALUE",
            "Changing param values is not allowed. Param with key='"
                + key
                + "' was already logged with value='"
                + before
                + "'");
      }
    }
    request
        .path("tags")
        .forEach(t -> run.tags.put(t.path("key").asString(), t.path("value").asString("")));
    request.path("metrics").forEach(run.metrics::add);
  }

  private ObjectNode createVersion(JsonNode request) {
    String name = request.path("name").asString();
    List<ObjectNode> list = versions.get(name);
    if (list == null) {
      throw new MlflowError(
          404, "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=" + name + " not found");
    }
    ObjectNode version = JSON.createObjectNode();
    synchronized (list) {
      version
          .put("name", name)
          .put("version", Integer.toString(list.size() + 1))
          .put("source", request.path("source").asString())
          .put("run_id", request.path("run_id").asString(""))
          .put("status", "READY")
          .put("current_stage", "None");
      list.add(version);
    }
    return version;
  }

  private Optional<ObjectNode> findVersion(String name, String version) {
    return versions.getOrDefault(name, List.of()).stream()
        .filter(v -> v.path("version").asString().equals(version))
        .findFirst();
  }

  private ObjectNode requireVersion(String name, String version) {
    return findVersion(name, version)
        .orElseThrow(
            () ->
                new MlflowError(
                    404,
                    "RESOURCE_DOES_NOT_EXIST",
                    "Model Version (name=" + name + ", version=" + version + ") not found"));
  }

  /**
   * Registers a version whose source folder holds {@code model.onnx}, as a promotion elsewhere
   * would, and points the alias at it: for serving tests.
   */
  String publish(String model, String alias, byte[] onnx) {
    String runId = UUID.randomUUID().toString().replace("-", "");
    RecordedRun run = new RecordedRun(runId, "0", "published");
    runs.put(runId, run);
    artifacts.put("0/" + runId + "/artifacts/model/model.onnx", onnx);
    versions.putIfAbsent(model, Collections.synchronizedList(new ArrayList<>()));
    ObjectNode request = JSON.createObjectNode();
    request.put("name", model).put("source", run.artifactUri() + "/model").put("run_id", runId);
    String version = createVersion(request).path("version").asString();
    aliases.put(model + "@" + alias, version);
    return version;
  }
}
