package io.cifarserve.training.quantize;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Small helpers for reading and writing ONNX tensors and nodes. */
final class Graphs {

  private Graphs() {}

  static float[] floats(OnnxMl.TensorProto tensor) {
    if (tensor.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
      throw new IllegalArgumentException(tensor.getName() + " is not a float tensor");
    }
    if (!tensor.getRawData().isEmpty()) {
      ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      float[] values = new float[raw.remaining() / Float.BYTES];
      raw.asFloatBuffer().get(values);
      return values;
    }
    float[] values = new float[tensor.getFloatDataCount()];
    for (int i = 0; i < values.length; i++) {
      values[i] = tensor.getFloatData(i);
    }
    return values;
  }

  static OnnxMl.TensorProto floatTensor(String name, float[] values, long... dims) {
    ByteBuffer raw =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return tensor(name, OnnxMl.TensorProto.DataType.FLOAT, raw.array(), dims);
  }

  static OnnxMl.TensorProto int8Tensor(String name, byte[] values, long... dims) {
    return tensor(name, OnnxMl.TensorProto.DataType.INT8, values, dims);
  }

  static OnnxMl.TensorProto uint8Tensor(String name, byte[] values, long... dims) {
    return tensor(name, OnnxMl.TensorProto.DataType.UINT8, values, dims);
  }

  static OnnxMl.TensorProto int32Tensor(String name, int[] values, long... dims) {
    ByteBuffer raw =
        ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asIntBuffer().put(values);
    return tensor(name, OnnxMl.TensorProto.DataType.INT32, raw.array(), dims);
  }

  private static OnnxMl.TensorProto tensor(
      String name, OnnxMl.TensorProto.DataType type, byte[] raw, long... dims) {
    return OnnxMl.TensorProto.newBuilder()
        .setName(name)
        .setDataType(type.getNumber())
        .addAllDims(Arrays.stream(dims).boxed().toList())
        .setRawData(ByteString.copyFrom(raw))
        .build();
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
        .addAttribute(
            OnnxMl.AttributeProto.newBuilder()
                .setName("axis")
                .setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(axis))
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
