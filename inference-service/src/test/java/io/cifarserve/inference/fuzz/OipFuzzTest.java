package io.cifarserve.inference.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Open Inference Protocol requests to {@code /v2/models/NAME/infer}: fuzzed bytes as the body, and
 * requests that are well-formed JSON with fuzzed names, datatypes, shapes, numbers, parameters and
 * base64 pictures, which reach the checks past the parser: tensors and image decoding.
 */
class OipFuzzTest extends FuzzedServiceTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String[] DATATYPES = {
    "FP32", "FP64", "FP16", "INT8", "INT32", "INT64", "UINT8", "BOOL", "BYTES", "fp32"
  };
  private static final String[] INPUT_NAMES = {"input", "image", "images", ""};

  @FuzzTest
  void infer(FuzzedDataProvider data) throws Exception {
    String model =
        data.consumeBoolean() ? "test-colour-classifier" : data.consumeString(16).strip();
    String path = "/v2/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8) + "/infer";
    byte[] body =
        data.consumeBoolean()
            ? data.consumeRemainingAsBytes()
            : JSON.writeValueAsBytes(request(data));
    assertDocumented(
        send(
            request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
  }

  private static ObjectNode request(FuzzedDataProvider data) {
    ObjectNode request = JSON.createObjectNode();
    ArrayNode inputs = request.putArray("inputs");
    int count = data.consumeInt(0, 3);
    for (int i = 0; i < count; i++) {
      inputs.add(tensor(data));
    }
    if (data.consumeBoolean()) {
      request.putObject("parameters").put(data.consumeString(12), data.consumeString(12));
    }
    if (data.consumeBoolean()) {
      request.putArray("outputs").addObject().put("name", data.consumeString(12));
    }
    return request;
  }

  private static ObjectNode tensor(FuzzedDataProvider data) {
    ObjectNode tensor = JSON.createObjectNode();
    tensor.put(
        "name", data.consumeBoolean() ? data.pickValue(INPUT_NAMES) : data.consumeString(12));
    String datatype = data.consumeBoolean() ? data.pickValue(DATATYPES) : data.consumeString(8);
    tensor.put("datatype", datatype);
    ArrayNode shape = tensor.putArray("shape");
    int dims = data.consumeInt(0, 5);
    for (int d = 0; d < dims; d++) {
      shape.add(
          data.consumeBoolean() ? data.pickValue(new long[] {1, 3, 32, 64}) : data.consumeLong());
    }
    ArrayNode values = tensor.putArray("data");
    if (datatype.equals("BYTES")) {
      int pictures = data.consumeInt(0, 3);
      for (int p = 0; p < pictures; p++) {
        byte[] picture = data.consumeBytes(data.consumeInt(0, 2048));
        values.add(
            data.consumeBoolean()
                ? Base64.getEncoder().encodeToString(picture)
                : new String(picture, StandardCharsets.ISO_8859_1));
      }
    } else {
      int numbers = data.consumeInt(0, 3 * 32 * 32 + 8);
      for (int n = 0; n < numbers && data.remainingBytes() > 0; n++) {
        values.add(data.consumeFloat());
      }
    }
    return tensor;
  }
}
