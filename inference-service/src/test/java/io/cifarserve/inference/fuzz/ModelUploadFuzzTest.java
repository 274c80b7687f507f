package io.cifarserve.inference.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnx.proto.OnnxMl;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.inference.support.HttpTestClient;
import io.cifarserve.onnxgraph.TestModels;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/**
 * Mutated ONNX files on the admin upload path: metadata entries (labels, normalisation,
 * calibration, the card) set to fuzzed values or removed, graph inputs and outputs renamed or
 * reshaped, and raw bytes flipped. An upload is served or refused with a 4xx problem; either way
 * the service stays ready, and the original model is put back after one that was served.
 */
class ModelUploadFuzzTest extends FuzzedServiceTest {

  private static final byte[] ORIGINAL =
      TestModels.colourClassifier(TestMetadata.calibratedColourClassifierMetadata("1"));
  private static final List<String> KEYS =
      new ArrayList<>(TestMetadata.calibratedColourClassifierMetadata("1").toProperties().keySet());

  @FuzzTest
  void upload(FuzzedDataProvider data) throws Exception {
    byte[] model = mutate(OnnxMl.ModelProto.parseFrom(ORIGINAL).toBuilder(), data);
    HttpResponse<String> answer = put(model);
    assertDocumented(answer);
    assertThat(send(request("/v2/health/ready").GET()).statusCode())
        .as("readiness after an upload answered %d", answer.statusCode())
        .isEqualTo(200);
    if (answer.statusCode() == 200) {
      assertThat(put(ORIGINAL).statusCode()).isEqualTo(200);
    }
  }

  private HttpResponse<String> put(byte[] model) throws Exception {
    return send(
        request("/admin/model")
            .header("Authorization", "Bearer " + HttpTestClient.ADMIN_TOKEN)
            .header("Content-Type", "application/octet-stream")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(model)));
  }

  private static byte[] mutate(OnnxMl.ModelProto.Builder model, FuzzedDataProvider data) {
    int edits = data.consumeInt(0, 4);
    for (int i = 0; i < edits; i++) {
      switch (data.consumeInt(0, 3)) {
        case 0 -> setMetadata(model, data);
        case 1 -> removeMetadata(model, data);
        case 2 -> reshape(model.getGraphBuilder().getInputBuilder(0), data);
        default -> reshape(model.getGraphBuilder().getOutputBuilder(0), data);
      }
    }
    byte[] bytes = model.build().toByteArray();
    int flips = data.consumeInt(0, 3);
    for (int i = 0; i < flips && bytes.length > 0; i++) {
      bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
    }
    return bytes;
  }

  private static void setMetadata(OnnxMl.ModelProto.Builder model, FuzzedDataProvider data) {
    String key = data.consumeBoolean() ? data.pickValue(KEYS) : data.consumeString(24);
    String value = data.consumeString(200);
    removeKey(model, key);
    model.addMetadataProps(OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value));
  }

  private static void removeMetadata(OnnxMl.ModelProto.Builder model, FuzzedDataProvider data) {
    removeKey(model, data.pickValue(KEYS));
  }

  private static void removeKey(OnnxMl.ModelProto.Builder model, String key) {
    for (int i = model.getMetadataPropsCount() - 1; i >= 0; i--) {
      if (model.getMetadataProps(i).getKey().equals(key)) {
        model.removeMetadataProps(i);
      }
    }
  }

  private static void reshape(OnnxMl.ValueInfoProto.Builder value, FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      value.setName(data.consumeString(12));
      return;
    }
    OnnxMl.TensorShapeProto.Builder shape =
        value.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder();
    shape.clearDim();
    int dims = data.consumeInt(0, 5);
    for (int d = 0; d < dims; d++) {
      OnnxMl.TensorShapeProto.Dimension.Builder dim = shape.addDimBuilder();
      if (data.consumeBoolean()) {
        dim.setDimValue(data.consumeLong(-2, 1L << 40));
      } else {
        dim.setDimParam(data.consumeString(6));
      }
    }
  }
}
