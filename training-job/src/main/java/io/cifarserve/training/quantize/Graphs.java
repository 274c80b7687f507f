package io.cifarserve.training.quantize;

import ai.onnx.proto.OnnxMl;
import io.cifarserve.onnxgraph.OnnxGraphBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Small helpers for reading and writing ONNX tensors and nodes. */
final class Graphs {

  private Graphs() {}

  static float[] floats(OnnxMl.TensorProto tensor) {
    return OnnxGraphBuilder.floats(tensor);
  }

  static OnnxMl.TensorProto floatTensor(String name, float[] values, long... dims) {
    return OnnxGraphBuilder.floatTensor(name, values, dims);
  }

  static OnnxMl.TensorProto int8Tensor(String name, byte[] values, long... dims) {
    return OnnxGraphBuilder.tensor(name, OnnxMl.TensorProto.DataType.INT8, values, dims);
  }

  static OnnxMl.TensorProto uint8Tensor(String name, byte[] values, long... dims) {
    return OnnxGraphBuilder.tensor(name, OnnxMl.TensorProto.DataType.UINT8, values, dims);
  }

  static OnnxMl.TensorProto int32Tensor(String name, int[] values, long... dims) {
    ByteBuffer raw =
        ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asIntBuffer().put(values);
    return OnnxGraphBuilder.tensor(name, OnnxMl.TensorProto.DataType.INT32, raw.array(), dims);
  }

  static OnnxMl.NodeProto node(String op, String output, String... inputs) {
    return OnnxMl.NodeProto.newBuilder()
        .setOpType(op)
        .setName(output)
        .addAllInput(Arrays.asList(inputs))
        .addOutput(output)
        .build();
  }

  static OnnxMl.NodeProto withAxis(OnnxMl.NodeProto node, long axis) {
    return node.toBuilder()
        .addAttribute(OnnxGraphBuilder.Attribute.integer("axis", axis).proto())
        .build();
  }

  static float floatAttribute(OnnxMl.NodeProto node, String name, float otherwise) {
    return node.getAttributeList().stream()
        .filter(a -> a.getName().equals(name))
        .map(OnnxMl.AttributeProto::getF)
        .findFirst()
        .orElse(otherwise);
  }
}
