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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
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

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final MlflowApiDefinition api = new MlflowApiDefinition();
  private final FakeMlflowStore store = new FakeMlflowStore();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
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

  public List<RecordedRun> runs() {
    return store.runs();
  }

  /** The runs of an experiment, by its name. */
  public List<RecordedRun> runs(String experimentName) {
    return store.runs(experimentName);
  }

  public RecordedRun run(String id) {
    return store.run(id);
  }

  public Optional<byte[]> artifact(String runId, String path) {
    return store.artifact(runId, path);
  }

  /** The artifact paths of a run, relative to its root. */
  public List<String> artifactPaths(String runId) {
    return store.artifactPaths(runId);
  }

  /** The version an alias points at, if any. */
  public Optional<String> alias(String model, String alias) {
    return store.alias(model, alias);
  }

  /** A version's tags. */
  public Map<String, String> versionTags(String model, String version) {
    return store.versionTags(model, version);
  }

  /**
   * Registers a version whose source folder holds {@code model.onnx}, as a promotion elsewhere
   * would, and points the alias at it: for serving tests.
   */
  public String publish(String model, String alias, byte[] onnx) {
    return store.publish(model, alias, onnx);
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
      Optional<MlflowApiDefinition.Route> route = api.route(method, path);
      if (route.isEmpty()) {
        violation(exchange, 404, "ENDPOINT_NOT_FOUND", "no MLflow RPC is " + method + " " + path);
        return;
      }
      if (route.get().isArtifact()) {
        artifact(
            exchange,
            method,
            path.substring(
                (MlflowApiDefinition.API + MlflowApiDefinition.ARTIFACTS + "/").length()));
        return;
      }
      if (!dropPath.isEmpty() && path.endsWith(dropPath) && dropCountdown.decrementAndGet() == 0) {
        dropping.set(dropTotal);
      }
      JsonNode request;
      try {
        request =
            api.request(
                route.get().rpc(),
                method,
                exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        violation(exchange, 400, "INVALID_PARAMETER_VALUE", e.getMessage());
        return;
      }
      try {
        ObjectNode response = store.dispatch(route.get().rpc().getName(), request);
        String printed = api.response(route.get().rpc().getOutputType(), response);
        send(exchange, 200, "application/json", printed.getBytes(StandardCharsets.UTF_8));
      } catch (FakeMlflowStore.MlflowError e) {
        error(exchange, e.status, e.code, e.getMessage());
      }
    } catch (RuntimeException e) {
      violations.add("fake server failed: " + e);
      throw e;
    }
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
      if (!store.isRunArtifact(path)) {
        violations.add("PUT " + path + " is outside every run's artifact root");
      }
      store.putArtifact(path, body);
      send(exchange, 200, "application/json", "{}".getBytes(StandardCharsets.UTF_8));
      return;
    }
    Optional<byte[]> bytes = store.artifactAt(path);
    if (bytes.isEmpty()) {
      error(exchange, 404, "RESOURCE_DOES_NOT_EXIST", "no artifact " + path);
      return;
    }
    send(exchange, 200, "application/octet-stream", bytes.get());
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
