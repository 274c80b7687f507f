package io.cifarserve.mlflow;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
 * MLflow's REST API as MLflow's own protobuf definitions in {@code org.mlflow:mlflow-client}
 * describe it: each RPC's method and path (its {@code rpc} options), its request parsed strictly
 * into the request message (unknown fields, wrong types and unknown enum values refused), the
 * fields marked {@code validate_required}, and the checks MLflow's handlers add.
 */
final class MlflowApiDefinition {

  static final String API = "/api/2.0";
  static final String ARTIFACTS = "/mlflow-artifacts/artifacts";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** One RPC's endpoint; an artifact endpoint's path ends with the artifact's path. */
  record Route(String method, String path, MethodDescriptor rpc) {

    boolean isArtifact() {
      return path.startsWith(ARTIFACTS + "/");
    }
  }

  private final List<Route> routes = routes();

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

  /** The RPC a request's method and raw path name, if any. */
  Optional<Route> route(String method, String path) {
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

  /**
   * The request as MLflow's server reads it (snake_case names), after checking it against the
   * definitions.
   *
   * @throws IllegalArgumentException what in the request breaks them
   */
  JsonNode request(
      MethodDescriptor rpc, String method, String rawQuery, String contentType, String body) {
    Descriptor type = rpc.getInputType();
    String json;
    if (method.equals("GET")) {
      json = queryAsJson(rawQuery, type);
    } else {
      if (contentType == null || !contentType.startsWith("application/json")) {
        throw new IllegalArgumentException(
            rpc.getName() + ": Content-Type must be application/json, was " + contentType);
      }
      json = body.isBlank() ? "{}" : body;
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

  /**
   * A response printed from its message, as the server prints it: proto names, int64 as strings.
   */
  String response(Descriptor type, ObjectNode response) {
    DynamicMessage.Builder builder = DynamicMessage.newBuilder(type);
    String printed;
    try {
      JsonFormat.parser().merge(response.toString(), builder);
      printed = JsonFormat.printer().preservingProtoFieldNames().print(builder.build());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "the fake server built a bad " + type.getName() + ": " + e.getMessage(), e);
    }
    return printed;
  }
}
