package io.cifarserve.onnxgraph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import io.cifarserve.common.model.ModelSignature;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OnnxGraphBuilderTest {

  @Test
  void aFloatTensorReadsBackAsTheSameValues() {
    float[] values = {1.5f, -2f, 0f, 3.25f, 7f, -0.125f};

    OnnxMl.TensorProto tensor = OnnxGraphBuilder.floatTensor("w", values, 2, 3);

    assertThat(tensor.getDimsList()).containsExactly(2L, 3L);
    assertThat(OnnxGraphBuilder.floats(tensor)).containsExactly(values);
  }

  @Test
  void valuesThatDoNotFillTheShapeAreRefused() {
    assertThatThrownBy(() -> OnnxGraphBuilder.floatTensor("w", new float[5], 2, 3))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aGraphCarriesTheModelSignatureAndItsMetadata() throws Exception {
    OnnxGraphBuilder graph = new OnnxGraphBuilder("tiny", 8, 10);
    graph.node("Identity", java.util.List.of(ModelSignature.INPUT), ModelSignature.OUTPUT);

    OnnxMl.ModelProto model =
        OnnxMl.ModelProto.parseFrom(graph.toBytes(Map.of("model.name", "tiny")));

    assertThat(model.getGraph().getInput(0).getName()).isEqualTo(ModelSignature.INPUT);
    assertThat(model.getGraph().getOutput(0).getName()).isEqualTo(ModelSignature.OUTPUT);
    assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(OnnxGraphBuilder.OPSET);
    assertThat(model.getMetadataProps(0).getKey()).isEqualTo("model.name");
  }

  @Test
  void replacingMetadataKeepsTheGraphAndDropsTheOldEntries() throws Exception {
    byte[] original = TestModels.colourClassifier();

    byte[] relabelled = OnnxGraphBuilder.withMetadata(original, Map.of("only", "this"));

    OnnxMl.ModelProto before = OnnxMl.ModelProto.parseFrom(original);
    OnnxMl.ModelProto after = OnnxMl.ModelProto.parseFrom(relabelled);
    assertThat(after.getGraph()).isEqualTo(before.getGraph());
    assertThat(after.getMetadataPropsList())
        .singleElement()
        .satisfies(
            entry -> assertThat(entry.getKey() + "=" + entry.getValue()).isEqualTo("only=this"));
  }

  @Test
  void bytesThatAreNotAModelAreRefused() {
    assertThatThrownBy(() -> OnnxGraphBuilder.withMetadata(new byte[] {1, 2, 3}, Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an ONNX model");
  }
}
