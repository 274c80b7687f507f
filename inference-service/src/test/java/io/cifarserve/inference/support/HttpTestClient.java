package io.cifarserve.inference.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A plain HTTP client for tests against a running service: real requests, no Spring mocks. */
public final class HttpTestClient {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final Map<String, String> headers;

  public HttpTestClient(int port) {
    this("http://127.0.0.1:" + port, Map.of());
  }

  private HttpTestClient(String base, Map<String, String> headers) {
    this.base = base;
    this.headers = headers;
  }

  /** The same client, sending this header with every request too. */
  public HttpTestClient withHeader(String name, String value) {
    Map<String, String> more = new java.util.LinkedHashMap<>(headers);
    more.put(name, value);
    return new HttpTestClient(base, Map.copyOf(more));
  }

  /** The same client, with the admin token the tests configure. */
  public HttpTestClient asAdmin() {
    return withHeader("Authorization", "Bearer " + ADMIN_TOKEN);
  }

  /** The admin token tests that use the admin endpoints configure. */
  public static final String ADMIN_TOKEN = "test-admin-token";

  /** A file part of a multipart body. */
  public record Part(String field, String filename, String contentType, byte[] content) {}

  /** A response with its body read as text and, when it is JSON, parsed. */
  public record Response(int status, String body, java.net.http.HttpHeaders headers) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /** A client for the service on {@code port}, once its readiness probe says UP. */
  public static HttpTestClient whenReady(int port) {
    HttpTestClient client = new HttpTestClient(port);
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions() // connection refused until the server listens
        .until(() -> client.get("/actuator/health/readiness").status() == 200);
    return client;
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  public Response post(String path, String contentType, byte[] body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  public Response put(String path, String contentType, byte[] body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** A POST whose body is streamed without a Content-Length (chunked). */
  public Response postStreamed(String path, String contentType, byte[] body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", contentType)
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(body))));
  }

  public Response postJson(String path, Object body) {
    return post(path, "application/json", JSON.writeValueAsBytes(body));
  }

  public Response postMultipart(String path, List<Part> parts) {
    Multipart body = multipart(parts);
    return post(path, body.contentType(), body.content());
  }

  /** A multipart/form-data body and the content type that names its boundary. */
  public record Multipart(String contentType, byte[] content) {}

  /** Encodes file parts as a multipart/form-data body. */
  public static Multipart multipart(List<Part> parts) {
    String boundary = "----cifar" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Part part : parts) {
      out.writeBytes(
          ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                  + "Content-Type: %s\r\n\r\n")
              .formatted(boundary, part.field(), part.filename(), part.contentType())
              .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(part.content());
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return new Multipart("multipart/form-data; boundary=" + boundary, out.toByteArray());
  }

  private Response send(HttpRequest.Builder request) {
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
