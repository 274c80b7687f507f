package io.cifarserve.inference.oip;

import static io.cifarserve.inference.support.OipRequests.tensor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.testing.TestImages;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.inference.support.HttpTestClient.Response;
import io.cifarserve.inference.support.RunningServiceTest;
import io.cifarserve.onnxgraph.TestModels;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A client written from the Open Inference Protocol REST spec: plain JSON maps with the spec's
 * field names, nothing shared with the server's classes.
 */
class OipProtocolTest extends RunningServiceTest {

  private static final String MODEL = "test-colour-classifier";

  private static List<Float> redAndGreenTensor() {
    try (OnnxClassifier reference = OnnxClassifier.load(TestModels.colourClassifier(), 1)) {
      float[] batch =
          ImagePreprocessor.forModel(reference.metadata())
              .toBatchTensor(
                  List.of(
                      TestImages.solid(32, 32, Color.RED), TestImages.solid(32, 32, Color.GREEN)));
      List<Float> data = new ArrayList<>();
      for (float v : batch) {
        data.add(v);
      }
      return data;
    }
  }

  private static float[][] referenceProbabilities(List<Float> data, int n) {
    float[] flat = new float[data.size()];
    for (int i = 0; i < flat.length; i++) {
      flat[i] = data.get(i);
    }
    try (OnnxClassifier reference =
        OnnxClassifier.load(
            TestModels.colourClassifier(TestMetadata.calibratedColourClassifierMetadata("1")), 1)) {
      return reference.probabilities(flat, n);
    }
  }

  @Test
  void healthAndServerMetadata() {
    assertThat(client.get("/v2/health/live").json().get("live").asBoolean()).isTrue();
    Response ready = client.get("/v2/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("ready").asBoolean()).isTrue();
    assertThat(client.get("/v2").json().get("name").asString()).isEqualTo("cifar-serve");
    assertThat(client.get("/v2/models/" + MODEL + "/ready").status()).isEqualTo(200);
  }

  @Test
  void modelMetadataListsInputsAndOutputs() {
    JsonNode metadata = client.get("/v2/models/" + MODEL).json();

    assertThat(metadata.get("name").asString()).isEqualTo(MODEL);
    assertThat(metadata.get("versions").get(0).asString()).isEqualTo("1");
    assertThat(metadata.get("platform").asString()).isEqualTo("onnxruntime_onnx");
    assertThat(metadata.at("/inputs/0/name").asString()).isEqualTo("input");
    assertThat(metadata.at("/inputs/0/datatype").asString()).isEqualTo("FP32");
    assertThat(metadata.at("/inputs/0/shape").toString()).isEqualTo("[-1,3,32,32]");
    assertThat(metadata.at("/outputs/0/shape").toString()).isEqualTo("[-1,10]");
    assertThat(metadata.get("outputs").findValuesAsString("name"))
        .containsExactly("probabilities", "label", "confidence", "unsure");
    assertThat(metadata.at("/outputs/3/datatype").asString()).isEqualTo("BOOL");
    assertThat(client.get("/v2/models/" + MODEL + "/versions/1").status()).isEqualTo(200);
  }

  @Test
  void infersAnFp32TensorLikeInProcessOnnxRuntime() {
    List<Float> data = redAndGreenTensor();
    Map<String, Object> request =
        Map.of(
            "id",
            "req-42",
            "inputs",
            List.of(tensor("input", List.of(2, 3, 32, 32), "FP32", data)));

    Response response = client.postJson("/v2/models/" + MODEL + "/infer", request);

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = response.json();
    assertThat(body.get("model_name").asString()).isEqualTo(MODEL);
    assertThat(body.get("model_version").asString()).isEqualTo("1");
    assertThat(body.get("id").asString()).isEqualTo("req-42");
    JsonNode probabilities = body.get("outputs").get(0);
    assertThat(probabilities.get("name").asString()).isEqualTo("probabilities");
    assertThat(probabilities.get("datatype").asString()).isEqualTo("FP32");
    assertThat(probabilities.get("shape").toString()).isEqualTo("[2,10]");
    float[][] expected = referenceProbabilities(data, 2);
    for (int i = 0; i < 2; i++) {
      for (int c = 0; c < 10; c++) {
        assertThat(probabilities.get("data").get(i * 10 + c).floatValue())
            .isCloseTo(expected[i][c], within(1e-6f));
      }
    }
    JsonNode labels = body.get("outputs").get(1);
    assertThat(labels.get("datatype").asString()).isEqualTo("BYTES");
    assertThat(labels.get("data").toString()).isEqualTo("[\"airplane\",\"automobile\"]");
    JsonNode confidence = body.get("outputs").get(2);
    assertThat(confidence.get("name").asString()).isEqualTo("confidence");
    assertThat(confidence.get("shape").toString()).isEqualTo("[2]");
    assertThat(confidence.at("/data/0").floatValue()).isCloseTo(expected[0][0], within(1e-6f));
    JsonNode unsure = body.get("outputs").get(3);
    assertThat(unsure.get("datatype").asString()).isEqualTo("BOOL");
    assertThat(unsure.get("data").toString()).isEqualTo("[false,false]");
  }

  @Test
  void flagsAPictureOfNoClassAsUnsure() {
    String grey =
        Base64.getEncoder().encodeToString(TestImages.png(50, 50, new Color(128, 128, 128)));
    Map<String, Object> request =
        Map.of(
            "inputs", List.of(tensor("image", List.of(1), "BYTES", List.of(grey))),
            "outputs", List.of(Map.of("name", "unsure"), Map.of("name", "confidence")));

    JsonNode body = client.postJson("/v2/models/" + MODEL + "/infer", request).json();

    assertThat(body.get("outputs")).hasSize(2);
    assertThat(output(body, "unsure").at("/data/0").asBoolean()).isTrue();
    assertThat(output(body, "confidence").at("/data/0").floatValue())
        .isLessThan((float) TestMetadata.UNSURE_BELOW);
  }

  @Test
  void infersBase64EncodedImagesAndReturnsOnlyRequestedOutputs() {
    String png = Base64.getEncoder().encodeToString(TestImages.png(50, 50, Color.BLUE));
    Map<String, Object> request =
        Map.of(
            "inputs", List.of(tensor("image", List.of(1), "BYTES", List.of(png))),
            "outputs", List.of(Map.of("name", "label")));

    JsonNode body = client.postJson("/v2/models/" + MODEL + "/infer", request).json();

    assertThat(body.get("outputs")).hasSize(1);
    assertThat(body.at("/outputs/0/data/0").asString()).isEqualTo("bird");
  }

  @Test
  void answersProtocolErrorsWithAnErrorField() {
    Map<String, Object> wrongShape =
        Map.of("inputs", List.of(tensor("input", List.of(1, 3, 16, 16), "FP32", List.of(1.0))));
    Map<String, Object> wrongType =
        Map.of("inputs", List.of(tensor("input", List.of(1, 3, 32, 32), "INT64", List.of(1))));
    Map<String, Object> shortData =
        Map.of(
            "inputs", List.of(tensor("input", List.of(1, 3, 32, 32), "FP32", List.of(1.0, 2.0))));

    assertError(client.postJson("/v2/models/" + MODEL + "/infer", wrongShape), 400, "[N,3,32,32]");
    assertError(client.postJson("/v2/models/" + MODEL + "/infer", wrongType), 400, "must be FP32");
    assertError(client.postJson("/v2/models/" + MODEL + "/infer", shortData), 400, "needs 3072");
    assertError(client.postJson("/v2/models/nope/infer", wrongShape), 404, "not served here");
    assertError(client.get("/v2/models/" + MODEL + "/versions/9"), 404, "no version '9'");
    assertError(
        client.post("/v2/models/" + MODEL + "/infer", "application/json", "{not json".getBytes()),
        400,
        "");
  }

  private static JsonNode output(JsonNode body, String name) {
    for (JsonNode output : body.get("outputs")) {
      if (output.get("name").asString().equals(name)) {
        return output;
      }
    }
    throw new AssertionError("no output named " + name + " in " + body);
  }

  private static void assertError(Response response, int status, String message) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.json().has("error")).isTrue();
    assertThat(response.json().get("error").asString()).contains(message);
  }
}
