package io.cifarserve.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import io.cifarserve.onnxgraph.OnnxGraphBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Loads the weights of a float ONNX model this job exported into a {@link ResNet18} of the same
 * architecture, so an exported model (such as the shipped one, whose run folder is not kept) can be
 * fine-tuned. The exporter names initializers after the network's parameters (torchvision's names)
 * and keeps batch normalisation as its own nodes, so every parameter, running statistics included,
 * has an initializer of the same name and shape. Every parameter must be found: a partial load
 * would train a different network than the one named.
 */
public final class OnnxWeights {

  private OnnxWeights() {}

  /**
   * @return how many tensors were loaded (every parameter of the network)
   * @throws IllegalArgumentException the file is not such a model, or its architecture differs
   */
  public static int load(Path onnxFile, ResNet18 net) {
    Map<String, OnnxMl.TensorProto> initializers = initializers(onnxFile);
    for (Map.Entry<String, Parameter> entry : net.parameters().entrySet()) {
      OnnxMl.TensorProto tensor = initializers.get(entry.getKey());
      NDArray target = entry.getValue().getArray();
      if (tensor == null) {
        throw new IllegalArgumentException(
            onnxFile + " has no initializer " + entry.getKey() + ": not a model of this network");
      }
      Shape shape = new Shape(tensor.getDimsList().stream().mapToLong(Long::longValue).toArray());
      if (!shape.equals(target.getShape())) {
        throw new IllegalArgumentException(
            "%s: %s has shape %s, this network's has %s (another stem or width?)"
                .formatted(onnxFile, entry.getKey(), shape, target.getShape()));
      }
      target.set(floats(tensor, onnxFile));
    }
    return net.parameters().size();
  }

  private static Map<String, OnnxMl.TensorProto> initializers(Path onnxFile) {
    try {
      OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(onnxFile));
      Map<String, OnnxMl.TensorProto> byName = new HashMap<>();
      model.getGraph().getInitializerList().forEach(t -> byName.put(t.getName(), t));
      return byName;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException(onnxFile + " is not an ONNX model: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + onnxFile, e);
    }
  }

  private static float[] floats(OnnxMl.TensorProto tensor, Path onnxFile) {
    if (tensor.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
      throw new IllegalArgumentException(
          onnxFile
              + ": "
              + tensor.getName()
              + " is not float (an int8 model cannot be fine-tuned)");
    }
    return OnnxGraphBuilder.floats(tensor);
  }
}
