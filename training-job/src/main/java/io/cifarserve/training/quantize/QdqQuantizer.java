package io.cifarserve.training.quantize;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a statically quantized QDQ model from a float one whose batch norms are folded: each
 * activation a convolution, addition or global pooling reads goes through QuantizeLinear and
 * DequantizeLinear (uint8, asymmetric, with a calibrated range), and each convolution's weights are
 * int8 per output channel (symmetric) with an int32 bias. ONNX Runtime fuses the pattern into its
 * integer kernels (QLinearConv, QLinearAdd, ...); any other runtime still computes the float model
 * the QDQ pairs describe.
 */
final class QdqQuantizer {

  private static final Set<String> QUANTIZED_INPUTS = Set.of("Conv", "Add", "GlobalAveragePool");

  private QdqQuantizer() {}

  /** The activation tensors to quantize: the inputs of convolutions, additions and pooling. */
  static List<String> activations(OnnxMl.ModelProto model) {
    Set<String> initializers = new HashSet<>();
    model.getGraph().getInitializerList().forEach(t -> initializers.add(t.getName()));
    Set<String> tensors = new LinkedHashSet<>();
    for (OnnxMl.NodeProto node : model.getGraph().getNodeList()) {
      if (!QUANTIZED_INPUTS.contains(node.getOpType())) {
        continue;
      }
      List<String> inputs =
          node.getOpType().equals("Conv") ? node.getInputList().subList(0, 1) : node.getInputList();
      for (String input : inputs) {
        if (!initializers.contains(input)) {
          tensors.add(input);
        }
      }
    }
    return List.copyOf(tensors);
  }

  /** The model with the given tensors also as outputs, to measure their ranges. */
  static OnnxMl.ModelProto withOutputs(OnnxMl.ModelProto model, List<String> tensors) {
    OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
    for (String tensor : tensors) {
      graph.addOutput(
          OnnxMl.ValueInfoProto.newBuilder()
              .setName(tensor)
              .setType(
                  OnnxMl.TypeProto.newBuilder()
                      .setTensorType(
                          OnnxMl.TypeProto.Tensor.newBuilder()
                              .setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))));
    }
    return model.toBuilder().setGraph(graph).build();
  }

  static OnnxMl.ModelProto quantize(OnnxMl.ModelProto model, Map<String, ActivationRange> ranges) {
    OnnxMl.GraphProto graph = model.getGraph();
    Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
    graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    List<OnnxMl.TensorProto> added = new ArrayList<>();
    Set<String> replaced = new HashSet<>();
    List<OnnxMl.NodeProto> nodes = new ArrayList<>();

    for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
      if (ranges.containsKey(input.getName())) {
        nodes.addAll(quantizeActivation(input.getName(), ranges.get(input.getName()), added));
      }
    }
    for (OnnxMl.NodeProto original : graph.getNodeList()) {
      OnnxMl.NodeProto node = rewireInputs(original, ranges);
      if (node.getOpType().equals("Conv") && node.getInputCount() == 3) {
        String activation = original.getInput(0);
        ActivationRange range = ranges.get(activation);
        if (range != null) {
          node = quantizeWeights(node, range.scale(), initializers, added, nodes, replaced);
        }
      }
      nodes.add(node);
      for (String output : node.getOutputList()) {
        if (ranges.containsKey(output)) {
          nodes.addAll(quantizeActivation(output, ranges.get(output), added));
        }
      }
    }
    OnnxMl.GraphProto.Builder result =
        graph.toBuilder().clearNode().addAllNode(nodes).clearInitializer();
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      if (!replaced.contains(t.getName())) {
        result.addInitializer(t);
      }
    }
    added.forEach(result::addInitializer);
    return model.toBuilder().setGraph(result).build();
  }

  private static OnnxMl.NodeProto rewireInputs(
      OnnxMl.NodeProto node, Map<String, ActivationRange> ranges) {
    OnnxMl.NodeProto.Builder builder = node.toBuilder();
    for (int i = 0; i < node.getInputCount(); i++) {
      if (ranges.containsKey(node.getInput(i))) {
        builder.setInput(i, node.getInput(i) + ".dq");
      }
    }
    return builder.build();
  }

  private static List<OnnxMl.NodeProto> quantizeActivation(
      String tensor, ActivationRange range, List<OnnxMl.TensorProto> added) {
    added.add(Graphs.floatTensor(tensor + ".scale", new float[] {range.scale()}));
    added.add(Graphs.uint8Tensor(tensor + ".zero_point", new byte[] {(byte) range.zeroPoint()}));
    return List.of(
        Graphs.node(
            "QuantizeLinear", tensor + ".q", tensor, tensor + ".scale", tensor + ".zero_point"),
        Graphs.node(
            "DequantizeLinear",
            tensor + ".dq",
            tensor + ".q",
            tensor + ".scale",
            tensor + ".zero_point"));
  }

  /**
   * int8 weights per output channel and an int32 bias at the input scale times the weight scale.
   */
  private static OnnxMl.NodeProto quantizeWeights(
      OnnxMl.NodeProto conv,
      float inputScale,
      Map<String, OnnxMl.TensorProto> initializers,
      List<OnnxMl.TensorProto> added,
      List<OnnxMl.NodeProto> nodes,
      Set<String> replaced) {
    OnnxMl.TensorProto weightTensor = initializers.get(conv.getInput(1));
    OnnxMl.TensorProto biasTensor = initializers.get(conv.getInput(2));
    float[] weight = Graphs.floats(weightTensor);
    float[] bias = Graphs.floats(biasTensor);
    int channels = bias.length;
    int perChannel = weight.length / channels;
    byte[] quantized = new byte[weight.length];
    float[] scales = new float[channels];
    int[] quantizedBias = new int[channels];
    float[] biasScales = new float[channels];
    for (int c = 0; c < channels; c++) {
      float maxAbs = 0;
      for (int i = 0; i < perChannel; i++) {
        maxAbs = Math.max(maxAbs, Math.abs(weight[c * perChannel + i]));
      }
      scales[c] = maxAbs > 0 ? maxAbs / 127f : 1e-8f;
      for (int i = 0; i < perChannel; i++) {
        int q = Math.round(weight[c * perChannel + i] / scales[c]);
        quantized[c * perChannel + i] = (byte) Math.max(-127, Math.min(127, q));
      }
      biasScales[c] = inputScale * scales[c];
      quantizedBias[c] =
          (int)
              Math.max(
                  Integer.MIN_VALUE,
                  Math.min(Integer.MAX_VALUE, Math.round((double) bias[c] / biasScales[c])));
    }
    long[] dims = weightTensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
    String w = conv.getInput(1);
    String b = conv.getInput(2);
    added.add(Graphs.int8Tensor(w + ".q", quantized, dims));
    added.add(Graphs.floatTensor(w + ".scale", scales, channels));
    added.add(Graphs.int8Tensor(w + ".zero_point", new byte[channels], channels));
    added.add(Graphs.int32Tensor(b + ".q", quantizedBias, channels));
    added.add(Graphs.floatTensor(b + ".scale", biasScales, channels));
    added.add(Graphs.int32Tensor(b + ".zero_point", new int[channels], channels));
    nodes.add(
        Graphs.withAxis(
            Graphs.node("DequantizeLinear", w + ".dq", w + ".q", w + ".scale", w + ".zero_point"),
            0));
    nodes.add(
        Graphs.withAxis(
            Graphs.node("DequantizeLinear", b + ".dq", b + ".q", b + ".scale", b + ".zero_point"),
            0));
    replaced.add(w);
    replaced.add(b);
    return conv.toBuilder().setInput(1, w + ".dq").setInput(2, b + ".dq").build();
  }
}
