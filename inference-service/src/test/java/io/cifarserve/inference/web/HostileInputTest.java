package io.cifarserve.inference.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.inference.support.HttpTestClient.Part;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.OipRequests;
import io.cifarserve.inference.support.RunningServiceTest;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.test.context.TestPropertySource;

/**
 * Careless and hostile requests, one row each: every one gets a specific 4xx problem whose detail
 * names what was wrong (and the limit, where there is one), never a 500.
 */
@TestPropertySource(
    properties = {"inference.upload.max-json-size=2MB", "inference.upload.max-image-size=100KB"})
class HostileInputTest extends RunningServiceTest {

  private static final byte[] RED = TestImages.png(32, 32, Color.RED);

  record Row(String name, Function<HttpTestClient, Response> request, int status, String detail) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Map<String, Object> oip(List<Long> shape, List<?> data) {
    return OipRequests.request(OipRequests.tensor("input", shape, "FP32", data));
  }

  private static List<Part> files(int n, String name) {
    return Collections.nCopies(n, new Part("files", name, "image/png", RED));
  }

  /** A syntactically fine OIP request of about 3 MB. */
  private static byte[] bigJson() {
    StringBuilder data = new StringBuilder();
    while (data.length() < 3 * 1024 * 1024) {
      data.append("0.5,");
    }
    return ("{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,3,32,32],"
            + "\"data\":["
            + data
            + "0]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  static Stream<Row> rows() {
    String infer = "/v2/models/test-colour-classifier/infer";
    return Stream.of(
        new Row(
            "multipart without a boundary",
            c -> c.post("/api/v1/predict", "multipart/form-data", RED),
            400,
            "multipart"),
        new Row(
            "batch multipart without a boundary",
            c -> c.post("/api/v1/predict/batch", "multipart/form-data", RED),
            400,
            "multipart"),
        new Row(
            "empty file",
            c ->
                c.postMultipart(
                    "/api/v1/predict",
                    List.of(new Part("file", "a.png", "image/png", new byte[0]))),
            400,
            "empty"),
        new Row(
            "empty raw body",
            c -> c.post("/api/v1/predict", "image/png", new byte[0]),
            400,
            "empty"),
        new Row(
            "k above its range",
            c -> c.post("/api/v1/predict?k=11", "image/png", RED),
            400,
            "k must be less than or equal to 10 (was 11)"),
        new Row(
            "malformed JSON",
            c ->
                c.post(
                    infer, "application/json", "{\"inputs\": [".getBytes(StandardCharsets.UTF_8)),
            400,
            "not valid JSON"),
        new Row(
            "OIP batch size beyond int",
            c -> c.postJson(infer, oip(List.of(4294967297L, 3L, 32L, 32L), List.of(0))),
            413,
            "limit of 64"),
        new Row(
            "OIP value beyond FP32",
            c -> c.postJson(infer, oip(List.of(1L, 3L, 32L, 32L), List.of(1e39))),
            400,
            "outside the FP32 range"),
        new Row(
            "OIP shape with a null",
            c ->
                c.post(
                    infer,
                    "application/json",
                    "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,null,32,32],\"data\":[0]}]}"
                        .getBytes(StandardCharsets.UTF_8)),
            400,
            "shape"),
        new Row(
            "OIP 65 rows",
            c -> c.postJson(infer, oip(List.of(65L, 3L, 32L, 32L), List.of(0))),
            413,
            "limit of 64"),
        new Row(
            "OIP JSON body over its declared limit",
            c -> c.post(infer, "application/json", new byte[3 * 1024 * 1024]),
            413,
            "max-json-size"),
        new Row(
            "OIP JSON body over the limit without a length",
            c -> c.postStreamed(infer, "application/json", bigJson()),
            413,
            "max-json-size"),
        new Row(
            "OIP image over the picture limit",
            c -> c.postJson(infer, OipRequests.images(new byte[150_000])),
            413,
            "limit of 102400 bytes"),
        new Row(
            "a file part under a text parameter's name (found by fuzzing)",
            c ->
                c.postMultipart(
                    "/api/v1/explain",
                    List.of(
                        new Part("file", "a.png", "image/png", RED),
                        new Part("label", "b.png", "image/png", RED))),
            400,
            "parameter 'label' must be String, not a file"),
        new Row(
            "an encoded slash in a model name, refused by Tomcat itself (found by fuzzing)",
            c -> c.post("/v2/models/a%2Fb/infer", "application/json", "{}".getBytes()),
            400,
            "refused before it reached the service"),
        new Row(
            "a path that is not UTF-8, refused by Tomcat itself",
            c -> c.post("/api/v1/predict%C0", "image/png", RED),
            400,
            "refused before it reached the service"),
        new Row(
            "65 files in a batch",
            c -> c.postMultipart("/api/v1/predict/batch", files(65, "a.png")),
            413,
            "limit is 64"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void getsASpecificClientError(Row row) {
    Response response = row.request().apply(client);

    assertThat(response.status()).as(response.body()).isEqualTo(row.status());
    assertThat(response.header("Content-Type")).contains("application/problem+json");
    assertThat(response.json().get("detail").asString()).contains(row.detail());
    var instance = response.json().get("instance");
    if (instance != null && instance.asString().startsWith("/v2")) {
      // Open Inference Protocol clients read the message from "error", whoever refused.
      assertThat(response.json().get("error")).isEqualTo(response.json().get("detail"));
    }
  }

  @org.junit.jupiter.api.Test
  void theBatchLimitAndLongFileNamesAreReachable() {
    Response full = client.postMultipart("/api/v1/predict/batch", files(64, "a.png"));
    assertThat(full.status()).as(full.body()).isEqualTo(200);
    assertThat(full.json().get("succeeded").asInt()).isEqualTo(64);

    String longName = "x".repeat(426) + ".png";
    List<Part> named = new ArrayList<>(List.of(new Part("files", longName, "image/png", RED)));
    Response one = client.postMultipart("/api/v1/predict/batch", named);
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(one.json().at("/results/0/filename").asString()).isEqualTo(longName);
  }
}
