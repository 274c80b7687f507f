package io.cifarserve.onnxgraph;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;
import io.cifarserve.common.model.ModelSignature;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes an ONNX image classifier (opset {@value #OPSET}) node by node: an NCHW float input with a
 * dynamic batch dimension, float and int64 initializers, and a {@code [N, classes]} output. Used by
 * the training job to export networks and by tests to build small models.
 */
public final class OnnxGraphBuilder {

  public static final int OPSET = 17;
  private static final long IR_VERSION = 8;

  private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();

  public OnnxGraphBuilder(String graphName, int inputSize, int classes) {
    graph.setName(graphName);
    graph.addInput(
        tensorValue(ModelSignature.INPUT, dim("batch"), dim(3), dim(inputSize), dim(inputSize)));
    graph.addOutput(tensorValue(ModelSignature.OUTPUT, dim("batch"), dim(classes)));
  }

  /** Adds a float constant; returns its name for use as a node input. */
  public String initializer(String name, float[] values, long... dims) {
    graph.addInitializer(floatTensor(name, values, dims));
    return name;
  }

  /** Adds a one-dimensional int64 constant (indices, shapes); returns its name. */
  public String int64Initializer(String name, long... values) {
    ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asLongBuffer().put(values);
    graph.addInitializer(
        tensor(name, OnnxMl.TensorProto.DataType.INT64, raw.array(), values.length));
    return name;
  }

  /**
   * A float tensor's values, from its raw little-endian data or its {@code float_data} field.
   *
   * @throws IllegalArgumentException the tensor is not float
   */
  public static float[] floats(OnnxMl.TensorProto tensor) {
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

  /**
   * A float tensor with its values as little-endian raw data.
   *
   * @throws IllegalArgumentException the values do not fill the shape
   */
  public static OnnxMl.TensorProto floatTensor(String name, float[] values, long... dims) {
    long expected = Arrays.stream(dims).reduce(1, Math::multiplyExact);
    if (expected != values.length) {
      throw new IllegalArgumentException(
          name + ": shape " + Arrays.toString(dims) + " needs " + expected + " values");
    }
    ByteBuffer raw =
        ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(values);
    return tensor(name, OnnxMl.TensorProto.DataType.FLOAT, raw.array(), dims);
  }

  /** A tensor of any type from its little-endian raw bytes. */
  public static OnnxMl.TensorProto tensor(
      String name, OnnxMl.TensorProto.DataType type, byte[] littleEndian, long... dims) {
    return OnnxMl.TensorProto.newBuilder()
        .setName(name)
        .setDataType(type.getNumber())
        .addAllDims(Arrays.stream(dims).boxed().toList())
        .setRawData(ByteString.copyFrom(littleEndian))
        .build();
  }

  /** Adds a node; returns its output name. */
  public String node(String opType, List<String> inputs, String output, Attribute... attributes) {
    OnnxMl.NodeProto.Builder node =
        OnnxMl.NodeProto.newBuilder()
            .setOpType(opType)
            .setName(output)
            .addAllInput(inputs)
            .addOutput(output);
    for (Attribute attribute : attributes) {
      node.addAttribute(attribute.proto());
    }
    graph.addNode(node);
    return output;
  }

  /** The serialised model with the given {@code metadata_props}. */
  public byte[] toBytes(Map<String, String> metadataProps) {
    OnnxMl.ModelProto.Builder model =
        OnnxMl.ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName("cifar-serve")
            .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(graph);
    metadataProps.forEach(
        (key, value) ->
            model.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return model.build().toByteArray();
  }

  /**
   * The same model file with its {@code metadata_props} replaced, e.g. to add a calibration fitted
   * after export: the graph and weights are left as they are.
   *
   * @throws IllegalArgumentException the bytes are not an ONNX model
   */
  public static byte[] withMetadata(byte[] model, Map<String, String> metadataProps) {
    OnnxMl.ModelProto.Builder builder;
    try {
      builder = OnnxMl.ModelProto.parseFrom(model).toBuilder();
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
    builder.clearMetadataProps();
    metadataProps.forEach(
        (key, value) ->
            builder.addMetadataProps(
                OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    return builder.build().toByteArray();
  }

  /** A node attribute. */
  public record Attribute(OnnxMl.AttributeProto proto) {

    public static Attribute ints(String name, long... values) {
      return new Attribute(
          OnnxMl.AttributeProto.newBuilder()
              .setName(name)
              .setType(OnnxMl.AttributeProto.AttributeType.INTS)
              .addAllInts(Arrays.stream(values).boxed().toList())
              .build());
    }

    public static Attribute integer(String name, long value) {
      return new Attribute(
          OnnxMl.AttributeProto.newBuilder()
              .setName(name)
              .setType(OnnxMl.AttributeProto.AttributeType.INT)
              .setI(value)
              .build());
    }

    public static Attribute real(String name, float value) {
      return new Attribute(
          OnnxMl.AttributeProto.newBuilder()
              .setName(name)
              .setType(OnnxMl.AttributeProto.AttributeType.FLOAT)
              .setF(value)
              .build());
    }
  }

  private static OnnxMl.TensorShapeProto.Dimension dim(long value) {
    return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(value).build();
  }

  private static OnnxMl.TensorShapeProto.Dimension dim(String symbol) {
    return OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam(symbol).build();
  }

  private static OnnxMl.ValueInfoProto tensorValue(
      String name, OnnxMl.TensorShapeProto.Dimension... dims) {
    return OnnxMl.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            OnnxMl.TypeProto.newBuilder()
                .setTensorType(
                    OnnxMl.TypeProto.Tensor.newBuilder()
                        .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(OnnxMl.TensorShapeProto.newBuilder().addAllDim(List.of(dims)))))
        .build();
  }
}
