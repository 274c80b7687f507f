package io.cifarserve.mlflow;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.mlflow.api.proto.MlflowArtifacts;
import org.mlflow.api.proto.ModelRegistry;
import org.mlflow.api.proto.Service;
import org.mlflow_project.databricks.Databricks;
import org.mlflow_project.google.protobuf.Descriptors.Descriptor;
import org.mlflow_project.google.protobuf.Descriptors.FieldDescriptor;
import org.mlflow_project.google.protobuf.Descriptors.FileDescriptor;
import org.mlflow_project.google.protobuf.Descriptors.MethodDescriptor;
import org.mlflow_project.google.protobuf.DynamicMessage;
import org.mlflow_project.google.protobuf.InvalidProtocolBufferException;
import org.mlflow_project.google.protobuf.util.JsonFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for an MLflow tracking server (no real one can be installed here: it is Python), for
 * tests. Every request is checked against MLflow's REST API as its own protobuf definitions in
 * {@code org.mlflow:mlflow-client} describe it: the method and path of each RPC (from the {@code
 * rpc} options), the body or query parsed strictly into the request message (unknown fields, wrong
 * types and unknown enum values refused), the fields MLflow marks required, and the server's
 * log-batch limits. A request that fails a check gets MLflow's 400 answer and is recorded in {@link
 * #violations()}, which tests expect to stay empty. Responses are printed from the response
 * messages, as the server prints them (snake_case names, 64-bit numbers as strings).
 *
 * <p>Runs, metrics, parameters, tags, artifacts (through the {@code mlflow-artifacts} proxy),
 * registered models, versions and aliases are kept in memory. {@link #outage} makes every call
 * answer 503, as a restarting server behind a load balancer does.
 */
public final class FakeMlflowServer implements AutoCloseable {

  private static final String API = "/api/2.0";
  private static final String ARTIFACTS = "/mlflow-artifacts/artifacts";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private record Route(String method, String path, MethodDescriptor rpc) {}

  /** A run as the server holds it. */
  public static final class Run {
    public final String id;
    public final String experimentId;
    public final String name;
    public volatile String status = "RUNNING";
    public final Map<String, String> params = new ConcurrentHashMap<>();
    public final Map<String, String> tags = new ConcurrentHashMap<>();
    public final List<JsonNode> metrics = Collections.synchronizedList(new ArrayList<>());

    Run(String id, String experimentId, String name) {
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
            .sorted(java.util.Comparator.comparingLong(m -> m.path("step").asLong()))
            .map(m -> m.path("value").asDouble())
            .toList();
      }
    }
  }

  private final List<Route> routes = routes();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, String> experiments = new ConcurrentHashMap<>();
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final Map<String, byte[]> artifacts = new ConcurrentHashMap<>();
  private final Map<String, List<ObjectNode>> versions = new ConcurrentHashMap<>();
  private final Map<String, String> aliases = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger(100);
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
  private final String expectedAuthorization;
  private volatile boolean outage;
  private volatile long maxBodyBytes = Long.MAX_VALUE;
  private volatile String dropPath = "";
  private final AtomicInteger dropCountdown = new AtomicInteger(-1);
  private final AtomicInteger dropping = new AtomicInteger();
  private volatile int dropTotal;
  private final HttpServer server;

  private FakeMlflowServer(String expectedAuthorization) throws IOException {
    this.expectedAuthorization = expectedAuthorization;
    experiments.put("Default", "0");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public static FakeMlflowServer start() throws IOException {
    return new FakeMlflowServer(null);
  }

  /** A server that answers 401 unless each request carries this {@code Authorization} header. */
  public static FakeMlflowServer requiring(String authorization) throws IOException {
    return new FakeMlflowServer(authorization);
  }

  /** The URL of a port nothing listens on: a tracking server that is down. */
  public static URI nowhere() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** While on, every request is answered 503 as by a load balancer with no server behind it. */
  public void outage(boolean on) {
    outage = on;
  }

  /**
   * Once {@code afterCalls} requests to a path ending in {@code pathSuffix} have been answered,
   * answers the next {@code dropped} requests (to any path) 503: a server that drops mid-run and
   * comes back.
   */
  public void dropAfter(String pathSuffix, int afterCalls, int dropped) {
    dropPath = pathSuffix;
    dropTotal = dropped;
    dropCountdown.set(afterCalls);
  }

  /**
   * Refuses request bodies larger than this with 413, as Cloud Run's front end does above 32 MiB
   * for HTTP/1.
   */
  public void maxBodyBytes(long bytes) {
    maxBodyBytes = bytes;
  }

  /** Requests that broke MLflow's API definitions; tests expect none. */
  public List<String> violations() {
    return List.copyOf(violations);
  }

  /** Every request as "METHOD path", in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  public List<Run> runs() {
    return List.copyOf(runs.values());
  }

  /** The runs of an experiment, by its name. */
  public List<Run> runs(String experimentName) {
    String id = experiments.get(experimentName);
    return runs.values().stream().filter(r -> r.experimentId.equals(id)).toList();
  }

  public Run run(String id) {
    return runs.get(id);
  }

  public Optional<byte[]> artifact(String runId, String path) {
    Run run = runs.get(runId);
    return Optional.ofNullable(
        artifacts.get(run.experimentId + "/" + run.id + "/artifacts/" + path));
  }

  /** The artifact paths of a run, relative to its root. */
  public List<String> artifactPaths(String runId) {
    Run run = runs.get(runId);
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

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getRawPath();
      calls.add(method + " " + path);
      if (dropping.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || outage) {
        send(
            exchange, 503, "text/plain", "upstream connect error".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (expectedAuthorization != null
          && !expectedAuthorization.equals(
              exchange.getRequestHeaders().getFirst("Authorization"))) {
        error(exchange, 401, "UNAUTHENTICATED", "credentials required");
        return;
      }
      Optional<Route> route = route(method, path);
      if (route.isEmpty()) {
        violation(exchange, 404, "ENDPOINT_NOT_FOUND", "no MLflow RPC is " + method + " " + path);
        return;
      }
      if (route.get().path().startsWith(ARTIFACTS + "/")) {
        artifact(exchange, method, path.substring((API + ARTIFACTS + "/").length()));
        return;
      }
      if (!dropPath.isEmpty() && path.endsWith(dropPath) && dropCountdown.decrementAndGet() == 0) {
        dropping.set(dropTotal);
      }
      JsonNode request;
      try {
        request = validRequest(exchange, route.get().rpc());
      } catch (IllegalArgumentException e) {
        violation(exchange, 400, "INVALID_PARAMETER_VALUE", e.getMessage());
        return;
      }
      try {
        ObjectNode response = dispatch(route.get().rpc().getName(), request);
        sendMessage(exchange, route.get().rpc().getOutputType(), response);
      } catch (MlflowError e) {
        error(exchange, e.status, e.code, e.getMessage());
      }
    } catch (RuntimeException e) {
      violations.add("fake server failed: " + e);
      throw e;
    }
  }

  // --- checking requests against MLflow's definitions

  private static List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    for (FileDescriptor file :
        List.of(
            Service.getDescriptor(),
            ModelRegistry.getDescriptor(),
            MlflowArtifacts.getDescriptor())) {
      file.getServices()
          .forEach(
              service ->
                  service
                      .getMethods()
                      .forEach(
                          rpc ->
                              rpc.getOptions()
                                  .getExtension(Databricks.rpc)
                                  .getEndpointsList()
                                  .forEach(
                                      endpoint ->
                                          routes.add(
                                              new Route(
                                                  endpoint.getMethod(),
                                                  endpoint
                                                      .getPath()
                                                      .replace("<path:artifact_path>", ""),
                                                  rpc)))));
    }
    return routes;
  }

  private Optional<Route> route(String method, String path) {
    if (!path.startsWith(API)) {
      return Optional.empty();
    }
    String rest = path.substring(API.length());
    return routes.stream()
        .filter(r -> r.method().equals(method))
        .filter(
            r ->
                r.path().endsWith("/")
                    ? rest.startsWith(r.path()) && rest.length() > r.path().length()
                    : rest.equals(r.path()))
        .findFirst();
  }

  private JsonNode validRequest(HttpExchange exchange, MethodDescriptor rpc) throws IOException {
    Descriptor type = rpc.getInputType();
    String json;
    if (exchange.getRequestMethod().equals("GET")) {
      json = queryAsJson(exchange.getRequestURI().getRawQuery(), type);
    } else {
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      if (contentType == null || !contentType.startsWith("application/json")) {
        throw new IllegalArgumentException(
            rpc.getName() + ": Content-Type must be application/json, was " + contentType);
      }
      json = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      json = json.isBlank() ? "{}" : json;
    }
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    try {
      JsonFormat.parser().merge(json, builder);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(rpc.getName() + ": " + e.getMessage());
    }
    DynamicMessage message = builder.build();
    for (FieldDescriptor field : type.getFields()) {
      if (field.getOptions().getExtension(Databricks.validateRequired) && missing(message, field)) {
        throw new IllegalArgumentException(
            rpc.getName() + ": missing value for required parameter '" + field.getName() + "'");
      }
    }
    JsonNode request;
    try {
      request = JSON.readTree(JsonFormat.printer().preservingProtoFieldNames().print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    HandlerRules.check(rpc.getName(), request);
    return request;
  }

  private static boolean missing(DynamicMessage message, FieldDescriptor field) {
    if (field.isRepeated()) {
      return message.getRepeatedFieldCount(field) == 0;
    }
    return !message.hasField(field) || "".equals(message.getField(field));
  }

  /** A GET's query as MLflow's server reads it: snake_case field names, repeated keys for lists. */
  private static String queryAsJson(String rawQuery, Descriptor type) {
    ObjectNode object = JSON.createObjectNode();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        int equals = pair.indexOf('=');
        String key =
            URLDecoder.decode(
                equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
        String value =
            equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
        FieldDescriptor field = type.findFieldByName(key);
        if (field == null) {
          throw new IllegalArgumentException(type.getName() + ": no query parameter '" + key + "'");
        }
        if (field.isRepeated()) {
          ((ArrayNode) object.withArray(key)).add(value);
        } else {
          object.put(key, value);
        }
      }
    }
    return object.toString();
  }

  /** Checks MLflow's handlers make beyond the protobuf options (mlflow/server/handlers.py). */
  private static final class HandlerRules {

    static void check(String rpc, JsonNode request) {
      switch (rpc) {
        case "updateRun", "getRun", "setTag" -> require(rpc, request, "run_id");
        case "logBatch" -> logBatch(request);
        default -> {}
      }
    }

    private static void logBatch(JsonNode request) {
      require("logBatch", request, "run_id");
      limit(request, "metrics", Limits.METRICS_PER_BATCH);
      limit(request, "params", Limits.PARAMS_PER_BATCH);
      limit(request, "tags", Limits.TAGS_PER_BATCH);
      for (JsonNode metric : request.path("metrics")) {
        for (String field : List.of("key", "value", "timestamp")) {
          require("logBatch metric", metric, field);
        }
      }
      for (JsonNode param : request.path("params")) {
        require("logBatch param", param, "key");
        length(param.path("value").asString(""), Limits.PARAM_VALUE_LENGTH, "param value");
      }
      for (JsonNode tag : request.path("tags")) {
        require("logBatch tag", tag, "key");
        length(tag.path("value").asString(""), Limits.TAG_VALUE_LENGTH, "tag value");
      }
      request
          .path("metrics")
          .forEach(m -> length(m.path("key").asString(""), Limits.KEY_LENGTH, "key"));
    }

    private static void require(String what, JsonNode node, String field) {
      if (!node.has(field) || node.path(field).asString("x").isEmpty()) {
        throw new IllegalArgumentException(
            what + ": missing value for required parameter '" + field + "'");
      }
    }

    private static void limit(JsonNode request, String field, int max) {
      if (request.path(field).size() > max) {
        throw new IllegalArgumentException(
            "logBatch: %d %s, more than the %d allowed"
                .formatted(request.path(field).size(), field, max));
      }
    }

    private static void length(String value, int max, String what) {
      if (value.length() > max) {
        throw new IllegalArgumentException("logBatch: a " + what + " longer than " + max);
      }
    }
  }

  // --- what the server does

  private static final class MlflowError extends RuntimeException {
    final int status;
    final String code;

    MlflowError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private ObjectNode dispatch(String rpc, JsonNode request) {
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
        String id = java.util.UUID.randomUUID().toString().replace("-", "");
        Run run = new Run(id, experimentId, request.path("run_name").asString(""));
        request
            .path("tags")
            .forEach(t -> run.tags.put(t.path("key").asString(), t.path("value").asString("")));
        runs.put(id, run);
        response.putObject("run").set("info", runInfo(run));
      }
      case "updateRun" -> {
        Run run = run(request);
        if (request.has("status")) {
          run.status = request.path("status").asString();
        }
        response.set("run_info", runInfo(run));
      }
      case "logBatch" -> logBatch(run(request), request);
      case "setTag" ->
          run(request).tags.put(request.path("key").asString(), request.path("value").asString());
      case "getRun" -> {
        Run run = run(request);
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

  private Run run(JsonNode request) {
    Run run = runs.get(request.path("run_id").asString());
    if (run == null) {
      throw new MlflowError(
          404,
          "RESOURCE_DOES_NOT_EXIST",
          "Run '" + request.path("run_id").asString() + "' not found");
    }
    return run;
  }

  private static ObjectNode runInfo(Run run) {
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

  private void logBatch(Run run, JsonNode request) {
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

  private void artifact(HttpExchange exchange, String method, String rawPath) throws IOException {
    String path = URLDecoder.decode(rawPath, StandardCharsets.UTF_8);
    if (path.contains("..") || path.startsWith("/")) {
      violation(exchange, 400, "INVALID_PARAMETER_VALUE", "Invalid path");
      return;
    }
    if (method.equals("PUT")) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (body.length > maxBodyBytes) {
        send(
            exchange,
            413,
            "text/html",
            "<h1>Request Entity Too Large</h1>".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String[] parts = path.split("/");
      Run run = parts.length > 3 ? runs.get(parts[1]) : null;
      if (run == null || !parts[0].equals(run.experimentId) || !parts[2].equals("artifacts")) {
        violations.add("PUT " + path + " is outside every run's artifact root");
      }
      artifacts.put(path, body);
      send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    byte[] bytes = artifacts.get(path);
    if (bytes == null) {
      error(exchange, 404, "RESOURCE_DOES_NOT_EXIST", "no artifact " + path);
      return;
    }
    send(exchange, 200, "application/octet-stream", bytes);
  }

  /**
   * Registers a version whose source folder holds {@code model.onnx}, as a promotion elsewhere
   * would, and points the alias at it: for serving tests.
   */
  public String publish(String model, String alias, byte[] onnx) {
    String runId = java.util.UUID.randomUUID().toString().replace("-", "");
    Run run = new Run(runId, "0", "published");
    runs.put(runId, run);
    artifacts.put("0/" + runId + "/artifacts/model/model.onnx", onnx);
    versions.putIfAbsent(model, Collections.synchronizedList(new ArrayList<>()));
    ObjectNode request = JSON.createObjectNode();
    request.put("name", model).put("source", run.artifactUri() + "/model").put("run_id", runId);
    String version = createVersion(request).path("version").asString();
    aliases.put(model + "@" + alias, version);
    return version;
  }

  // --- answers

  private void sendMessage(HttpExchange exchange, Descriptor type, ObjectNode response)
      throws IOException {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    String printed;
    try {
      JsonFormat.parser().merge(response.toString(), builder);
      printed = JsonFormat.printer().preservingProtoFieldNames().print(builder.build());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "the fake server built a bad " + type.getName() + ": " + e.getMessage(), e);
    }
    send(exchange, 200, "application/json", printed.getBytes(StandardCharsets.UTF_8));
  }

  private void violation(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    violations.add(message);
    error(exchange, status, code, message);
  }

  private static void error(HttpExchange exchange, int status, String code, String message)
      throws IOException {
    ObjectNode body = JSON.createObjectNode().put("error_code", code).put("message", message);
    send(exchange, status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
