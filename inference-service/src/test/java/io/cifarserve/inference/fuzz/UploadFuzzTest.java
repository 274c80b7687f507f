package io.cifarserve.inference.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzed pictures and bodies through the real HTTP stack to predict, batch and explain: as a raw
 * body or as multipart forms with fuzzed parts, names, types, boundaries and parameters.
 */
class UploadFuzzTest extends FuzzedServiceTest {

  private static final String[] ENDPOINTS = {
    "/api/v1/predict", "/api/v1/predict/batch", "/api/v1/explain"
  };
  private static final String[] PICTURE_TYPES = {
    "image/png", "image/jpeg", "image/*", "application/octet-stream", "image/gif", "text/plain"
  };
  private static final String[] FIELDS = {"file", "files", "k", "label", ""};

  @FuzzTest
  void upload(FuzzedDataProvider data) throws Exception {
    String path = data.pickValue(ENDPOINTS) + query(data);
    HttpRequest.Builder request =
        data.consumeBoolean() ? multipart(request(path), data) : raw(request(path), data);
    assertDocumented(send(request));
  }

  private static String query(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 3)) {
      case 0 -> "";
      case 1 -> "?k=" + data.consumeInt(-2, 12);
      case 2 -> "?label=" + encode(data.consumeString(20));
      default -> "?k=" + encode(data.consumeString(8)) + "&model=" + encode(data.consumeString(20));
    };
  }

  private static HttpRequest.Builder raw(HttpRequest.Builder request, FuzzedDataProvider data) {
    String type = data.consumeBoolean() ? data.pickValue(PICTURE_TYPES) : data.consumeString(30);
    byte[] body = data.consumeRemainingAsBytes();
    return safeHeader(request, "Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
  }

  /** A form of a few parts; the boundary and the part headers are fuzzed too, now and then. */
  private static HttpRequest.Builder multipart(
      HttpRequest.Builder request, FuzzedDataProvider data) {
    String boundary = data.consumeBoolean() ? "cifarFuzzBoundary" : data.consumeAsciiString(70);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    int parts = data.consumeInt(0, 4);
    for (int i = 0; i < parts; i++) {
      String field = data.consumeBoolean() ? data.pickValue(FIELDS) : data.consumeString(10);
      String filename = data.consumeString(20);
      String type = data.pickValue(PICTURE_TYPES);
      byte[] content =
          i == parts - 1
              ? data.consumeRemainingAsBytes()
              : data.consumeBytes(data.consumeInt(0, 4096));
      body.writeBytes(
          ("--%s\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\n"
                  + "Content-Type: %s\r\n\r\n")
              .formatted(boundary, field, filename, type)
              .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(content);
      body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return safeHeader(request, "Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
  }

  /**
   * A header as a client library would send it: the JDK client refuses control characters in header
   * values, so such a value becomes a type no endpoint takes.
   */
  private static HttpRequest.Builder safeHeader(
      HttpRequest.Builder request, String name, String value) {
    try {
      return request.copy().header(name, value);
    } catch (IllegalArgumentException notSendable) {
      return request.header(name, "application/x-unsendable");
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
