package io.cifarserve.training.quantize;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folds each batch normalisation that follows a convolution into the convolution's weights and a
 * bias: the same function in inference mode, and the weights that will be quantized are the ones
 * the convolution really uses.
 */
final class BatchNormFolding {

  private BatchNormFolding() {}

  static OnnxMl.ModelProto fold(OnnxMl.ModelProto model) {
    OnnxMl.GraphProto graph = model.getGraph();
    Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
    graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
    Map<String, OnnxMl.NodeProto> producers = new HashMap<>();
    Map<String, Integer> consumers = new HashMap<>();
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      node.getOutputList().forEach(o -> producers.put(o, node));
      node.getInputList().forEach(i -> consumers.merge(i, 1, Integer::sum));
    }
    Map<String, OnnxMl.NodeProto> foldedConvs = new HashMap<>();
    Set<String> removedNodes = new HashSet<>();
    List<OnnxMl.TensorProto> added = new ArrayList<>();
    for (OnnxMl.NodeProto bn : graph.getNodeList()) {
      if (!bn.getOpType().equals("BatchNormalization")) {
        continue;
      }
      OnnxMl.NodeProto conv = producers.get(bn.getInput(0));
      if (conv == null
          || !conv.getOpType().equals("Conv")
          || conv.getInputCount() != 2
          || consumers.getOrDefault(conv.getOutput(0), 0) != 1) {
        continue;
      }
      float[] weight = Graphs.floats(initializers.get(conv.getInput(1)));
      float[] gamma = Graphs.floats(initializers.get(bn.getInput(1)));
      float[] beta = Graphs.floats(initializers.get(bn.getInput(2)));
      float[] mean = Graphs.floats(initializers.get(bn.getInput(3)));
      float[] var = Graphs.floats(initializers.get(bn.getInput(4)));
      float epsilon = Graphs.floatAttribute(bn, "epsilon", 1e-5f);
      int channels = gamma.length;
      int perChannel = weight.length / channels;
      float[] folded = new float[weight.length];
      float[] bias = new float[channels];
      for (int c = 0; c < channels; c++) {
        double factor = gamma[c] / Math.sqrt(var[c] + (double) epsilon);
        for (int i = 0; i < perChannel; i++) {
          folded[c * perChannel + i] = (float) (weight[c * perChannel + i] * factor);
        }
        bias[c] = (float) (beta[c] - mean[c] * factor);
      }
      String name = conv.getName();
      List<Long> dims = initializers.get(conv.getInput(1)).getDimsList();
      added.add(
          Graphs.floatTensor(
              name + ".folded_weight", folded, dims.stream().mapToLong(Long::longValue).toArray()));
      added.add(Graphs.floatTensor(name + ".folded_bias", bias, channels));
      foldedConvs.put(
          conv.getOutput(0),
          conv.toBuilder()
              .setInput(1, name + ".folded_weight")
              .addInput(name + ".folded_bias")
              .setOutput(0, bn.getOutput(0))
              .build());
      removedNodes.add(bn.getOutput(0));
    }
    OnnxMl.GraphProto.Builder result = graph.toBuilder().clearNode().clearInitializer();
    for (OnnxMl.NodeProto node : graph.getNodeList()) {
      if (node.getOpType().equals("BatchNormalization")
          && removedNodes.contains(node.getOutput(0))) {
        continue;
      }
      result.addNode(foldedConvs.getOrDefault(node.getOutput(0), node));
    }
    Set<String> used = new HashSet<>();
    result.getNodeList().forEach(n -> used.addAll(n.getInputList()));
    for (OnnxMl.TensorProto t : graph.getInitializerList()) {
      if (used.contains(t.getName())) {
        result.addInitializer(t);
      }
    }
    added.forEach(result::addInitializer);
    return model.toBuilder().setGraph(result).build();
  }
}
