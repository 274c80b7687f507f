package io.cifarserve.inference.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.inference.support.HttpTestClient.Part;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.RunningServiceTest;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

@TestPropertySource(
    properties = {
      "spring.servlet.multipart.max-file-size=64KB",
      "inference.upload.max-image-size=64KB",
      "inference.upload.max-batch-files=4"
    })
class PredictionApiTest extends RunningServiceTest {

  private static Part file(String name, String type, byte[] content) {
    return new Part("file", name, type, content);
  }

  private static void assertProblem(Response response, int status, String detailPart) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonNode body = response.json();
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("detail").asString()).containsIgnoringCase(detailPart);
    assertThat(response.body()).doesNotContain("at io.", "Exception", "trace");
  }

  @Test
  void classifiesAMultipartUpload() {
    Response response =
        client.postMultipart(
            "/api/v1/predict",
            List.of(file("red.png", "image/png", TestImages.png(40, 30, Color.RED))));

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("label").asString()).isEqualTo("airplane");
    assertThat(body.get("classIndex").asInt()).isZero();
    assertThat(body.get("topK")).hasSize(3);
    assertThat(body.at("/topK/0/label").asString()).isEqualTo("airplane");
    assertThat(body.at("/topK/0/probability").asDouble())
        .isEqualTo(body.get("probability").asDouble());
    assertThat(body.at("/model/name").asString()).isEqualTo("test-colour-classifier");
    assertThat(body.at("/model/version").asString()).isEqualTo("1");
    assertThat(body.get("inferenceMillis").asDouble()).isPositive();
    assertThat(body.get("unsure").asBoolean()).isFalse();
    assertThat(body.at("/confidence/score").asString()).isEqualTo("max_probability");
    assertThat(body.at("/confidence/value").asDouble())
        .isEqualTo(body.get("probability").asDouble());
    assertThat(body.at("/confidence/threshold").asDouble()).isEqualTo(TestMetadata.UNSURE_BELOW);
    assertThat(body.at("/confidence/temperature").asDouble()).isEqualTo(1.0);
  }

  @Test
  void answersAPictureOfNoClassAsUnsureWithItsBestGuesses() {
    Response response =
        client.postMultipart(
            "/api/v1/predict",
            List.of(
                file("grey.png", "image/png", TestImages.png(40, 30, new Color(128, 128, 128)))));

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("unsure").asBoolean()).isTrue();
    assertThat(body.at("/confidence/value").asDouble()).isLessThan(TestMetadata.UNSURE_BELOW);
    assertThat(body.get("label").asString()).isNotBlank();
    assertThat(body.get("topK")).hasSize(3);
  }

  @Test
  void classifiesARawImageBodyWithTheRequestedTopK() {
    Response response =
        client.post("/api/v1/predict?k=5", "image/jpeg", TestImages.jpeg(32, 32, Color.GREEN));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("label").asString()).isEqualTo("automobile");
    assertThat(response.json().get("topK")).hasSize(5);
  }

  @Test
  void refusesTextWith415() {
    byte[] text = "just words".getBytes(StandardCharsets.UTF_8);

    assertProblem(
        client.postMultipart("/api/v1/predict", List.of(file("notes.txt", "text/plain", text))),
        415,
        "not a supported image");
    assertProblem(client.post("/api/v1/predict", "text/plain", text), 415, "text/plain");
  }

  @Test
  void refusesCorruptAndTruncatedImagesWith422() {
    byte[] truncated = TestImages.truncated(TestImages.png(64, 64, Color.BLUE));

    assertProblem(client.post("/api/v1/predict", "image/png", truncated), 422, "truncated");
  }

  @Test
  void refusesADecompressionBombWith422() {
    assertProblem(
        client.post("/api/v1/predict", "image/png", TestImages.pngBomb(60_000, 60_000)),
        422,
        "more than the limit");
  }

  @Test
  void refusesOversizedUploadsWith413() {
    byte[] big = new byte[100 * 1024];

    assertProblem(client.post("/api/v1/predict", "image/png", big), 413, "larger than the limit");
    Response multipart =
        client.postMultipart("/api/v1/predict", List.of(file("big.png", "image/png", big)));
    assertThat(multipart.status()).isEqualTo(413);
    assertThat(multipart.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void refusesAnOutOfRangeKWith400() {
    Response response =
        client.post("/api/v1/predict?k=0", "image/png", TestImages.png(8, 8, Color.RED));

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
  }

  @Test
  void refusesAMissingFilePartWith400() {
    Response response =
        client.postMultipart(
            "/api/v1/predict",
            List.of(new Part("picture", "a.png", "image/png", TestImages.png(8, 8, Color.RED))));

    assertThat(response.status()).isEqualTo(400);
  }

  @Test
  void batchAnswersEveryFileInOrderAndIsolatesBadOnes() {
    Response response =
        client.postMultipart(
            "/api/v1/predict/batch",
            List.of(
                new Part("files", "red.png", "image/png", TestImages.png(32, 32, Color.RED)),
                new Part(
                    "files", "notes.txt", "text/plain", "words".getBytes(StandardCharsets.UTF_8)),
                new Part(
                    "files",
                    "blue.bmp",
                    "image/bmp",
                    TestImages.encode(TestImages.solid(32, 32, Color.BLUE), "bmp"))));

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("succeeded").asInt()).isEqualTo(2);
    assertThat(body.get("failed").asInt()).isEqualTo(1);
    JsonNode results = body.get("results");
    assertThat(results.get(0).at("/prediction/label").asString()).isEqualTo("airplane");
    assertThat(results.get(1).get("filename").asString()).isEqualTo("notes.txt");
    assertThat(results.get(1).at("/error/status").asInt()).isEqualTo(415);
    assertThat(results.get(1).has("prediction")).isFalse();
    assertThat(results.get(2).at("/prediction/label").asString()).isEqualTo("bird");
  }

  @Test
  void batchRefusesMoreFilesThanTheLimit() {
    List<Part> five =
        java.util.stream.IntStream.range(0, 5)
            .mapToObj(
                i -> new Part("files", i + ".png", "image/png", TestImages.png(8, 8, Color.RED)))
            .toList();

    assertProblem(client.postMultipart("/api/v1/predict/batch", five), 413, "limit is 4");
  }

  @Test
  void describesTheServedModelAndWhatItWasTrainedOn() {
    JsonNode model = client.get("/api/v1/model").json();

    assertThat(model.get("name").asString()).isEqualTo("test-colour-classifier");
    assertThat(model.get("trainingData").asString()).contains("hand-set weights");
    assertThat(model.at("/metrics/test_accuracy").asDouble()).isEqualTo(0.3);
    assertThat(model.get("modelCard").asString()).contains("Not a real model");
    assertThat(model.get("labels")).hasSize(10);
  }

  @Test
  void publishesTheOpenApiDocument() {
    Response spec = client.get("/v3/api-docs");

    assertThat(spec.status()).isEqualTo(200);
    assertThat(spec.json().at("/paths").has("/api/v1/predict")).isTrue();
    assertThat(spec.json().at("/paths").has("/v2/models/{name}/infer")).isTrue();
    assertThat(client.get("/swagger-ui/index.html").status()).isEqualTo(200);
  }
}
