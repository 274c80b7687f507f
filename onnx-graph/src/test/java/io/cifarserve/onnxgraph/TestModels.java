package io.cifarserve.onnxgraph;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.testing.TestMetadata;
import java.util.List;

/**
 * Small real ONNX models for tests. The colour classifier averages each channel and scores class 0
 * (airplane) by red, class 1 (automobile) by green and class 2 (bird) by blue; the other classes
 * score 0. A pure red picture is therefore an airplane, pure green an automobile, pure blue a bird.
 * Its metadata comes from {@link TestMetadata}.
 */
public final class TestModels {

  private TestModels() {}

  public static byte[] colourClassifier() {
    return colourClassifier(TestMetadata.colourClassifierMetadata("1", Cifar10.IMAGE_SIZE));
  }

  public static byte[] colourClassifier(ModelMetadata metadata) {
    int classes = metadata.labels().size();
    OnnxGraphBuilder graph =
        new OnnxGraphBuilder("colour-classifier", metadata.inputSize(), classes);
    float[] weights = new float[classes * 3];
    for (int c = 0; c < Math.min(3, classes); c++) {
      weights[c * 3 + c] = 1f;
    }
    String w = graph.initializer("fc.weight", weights, classes, 3);
    String b = graph.initializer("fc.bias", new float[classes], classes);
    String pooled = graph.node("GlobalAveragePool", List.of("input"), "pooled");
    String flat =
        graph.node(
            "Flatten", List.of(pooled), "flat", OnnxGraphBuilder.Attribute.integer("axis", 1));
    graph.node(
        "Gemm", List.of(flat, w, b), "logits", OnnxGraphBuilder.Attribute.integer("transB", 1));
    return graph.toBytes(metadata.toProperties());
  }
}
