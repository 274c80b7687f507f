package io.cifarserve.training.export;

import static io.cifarserve.onnxgraph.OnnxGraphBuilder.Attribute.integer;
import static io.cifarserve.onnxgraph.OnnxGraphBuilder.Attribute.ints;
import static io.cifarserve.onnxgraph.OnnxGraphBuilder.Attribute.real;

import ai.djl.nn.Parameter;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.model.ModelSignature;
import io.cifarserve.onnxgraph.OnnxGraphBuilder;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.model.TestTimeAugmentation;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Writes a trained {@link ResNet18} as an ONNX graph (opset 17, dynamic batch, input {@code input},
 * output {@code logits}) with the model's metadata. Initializers keep torchvision's names, so the
 * file reads like a torchvision export in Netron. With {@link TestTimeAugmentation#HORIZONTAL_FLIP}
 * the graph runs each picture and its mirror image as one batch and averages their logits, so a
 * server gets the better predictions without knowing.
 */
public final class OnnxExporter {

  private OnnxExporter() {}

  public static byte[] export(ResNet18 net, ModelMetadata metadata) {
    return export(net, metadata, TestTimeAugmentation.NONE);
  }

  public static byte[] export(
      ResNet18 net, ModelMetadata metadata, TestTimeAugmentation augmentation) {
    ResNet18.Architecture arch = net.architecture();
    Writer w = new Writer(net.parameters(), metadata.inputSize(), arch.classes());
    boolean flip = augmentation == TestTimeAugmentation.HORIZONTAL_FLIP;
    String input = ModelSignature.INPUT;
    if (flip) {
      int side = metadata.inputSize();
      String reversed =
          w.graph.int64Initializer(
              "mirror_columns", LongStream.range(0, side).map(i -> side - 1 - i).toArray());
      String mirrored =
          w.graph.node("Gather", List.of(input, reversed), "mirrored", integer("axis", 3));
      input = w.graph.node("Concat", List.of(input, mirrored), "views", integer("axis", 0));
    }
    Stem stem = arch.stem();
    String x = w.conv(input, "conv1", stem.kernel(), stem.stride(), stem.padding());
    x = w.relu(w.batchNorm(x, "bn1"));
    if (stem.maxPool()) {
      x =
          w.graph.node(
              "MaxPool",
              List.of(x),
              "maxpool",
              ints("kernel_shape", 3, 3),
              ints("strides", 2, 2),
              ints("pads", 1, 1, 1, 1));
    }
    int inChannels = arch.width();
    for (int s = 0; s < ResNet18.STAGES; s++) {
      int channels = ResNet18.stageChannels(arch.width(), s);
      for (int b = 0; b < ResNet18.BLOCKS_PER_STAGE; b++) {
        int stride = ResNet18.blockStride(s, b);
        String p = "layer" + (s + 1) + "." + b + ".";
        String y = w.relu(w.batchNorm(w.conv(x, p + "conv1", 3, stride, 1), p + "bn1"));
        y = w.batchNorm(w.conv(y, p + "conv2", 3, 1, 1), p + "bn2");
        String shortcut = x;
        if (ResNet18.needsDownsample(inChannels, channels, stride)) {
          shortcut = w.batchNorm(w.conv(x, p + "downsample.0", 1, stride, 0), p + "downsample.1");
        }
        x = w.relu(w.graph.node("Add", List.of(y, shortcut), p + "add"));
        inChannels = channels;
      }
    }
    x = w.graph.node("GlobalAveragePool", List.of(x), "avgpool");
    x = w.graph.node("Flatten", List.of(x), "flatten", integer("axis", 1));
    x =
        w.graph.node(
            "Gemm",
            List.of(x, w.weight("fc.weight"), w.weight("fc.bias")),
            flip ? "view_logits" : ModelSignature.OUTPUT,
            integer("transB", 1));
    if (flip) {
      // [2N, classes] -> [2, N, classes]: the pictures first, then their mirror images.
      x =
          w.graph.node(
              "Reshape",
              List.of(x, w.graph.int64Initializer("by_view", 2, -1, arch.classes())),
              "logits_by_view");
      w.graph.node(
          "ReduceMean", List.of(x), ModelSignature.OUTPUT, ints("axes", 0), integer("keepdims", 0));
    }
    return w.graph.toBytes(metadata.toProperties());
  }

  /** Emits nodes, adding each parameter as an initializer under its torchvision name. */
  private static final class Writer {
    private final Map<String, Parameter> parameters;
    private final OnnxGraphBuilder graph;
    private int relus;

    Writer(Map<String, Parameter> parameters, int inputSize, int classes) {
      this.parameters = parameters;
      this.graph = new OnnxGraphBuilder("resnet18", inputSize, classes);
    }

    String weight(String name) {
      Parameter parameter = parameters.get(name);
      if (parameter == null) {
        throw new IllegalStateException("network has no parameter " + name);
      }
      return graph.initializer(
          name, parameter.getArray().toFloatArray(), parameter.getArray().getShape().getShape());
    }

    String conv(String x, String name, int kernel, int stride, int padding) {
      return graph.node(
          "Conv",
          List.of(x, weight(name + ".weight")),
          name,
          ints("kernel_shape", kernel, kernel),
          ints("strides", stride, stride),
          ints("pads", padding, padding, padding, padding));
    }

    String batchNorm(String x, String name) {
      return graph.node(
          "BatchNormalization",
          List.of(
              x,
              weight(name + ".weight"),
              weight(name + ".bias"),
              weight(name + ".running_mean"),
              weight(name + ".running_var")),
          name,
          real("epsilon", ResNet18.BN_EPSILON));
    }

    String relu(String x) {
      return graph.node("Relu", List.of(x), "relu" + relus++);
    }
  }
}
