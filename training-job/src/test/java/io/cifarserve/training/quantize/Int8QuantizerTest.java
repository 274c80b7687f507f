package io.cifarserve.training.quantize;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.training.export.OnnxExporter;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.model.TestTimeAugmentation;
import io.cifarserve.training.testing.Networks;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Int8QuantizerTest {

  private static final int SIDE = 32;

  private static float[] pictures(int n, long seed) {
    Random random = new Random(seed);
    float[] values = new float[n * 3 * SIDE * SIDE];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static byte[] network(TestTimeAugmentation augmentation) {
    Engine.getInstance().setRandomSeed(11);
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(Stem.CIFAR_STRIDE2, 8, 10));
      net.initialize(manager, SIDE);
      Networks.randomiseBatchNorm(net, new Random(4));
      return OnnxExporter.export(
          net, TestMetadata.colourClassifierMetadata("1", SIDE), augmentation);
    }
  }

  private static double relativeError(float[][] a, float[][] reference) {
    double difference = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        difference = Math.max(difference, Math.abs(a[i][j] - reference[i][j]));
        scale = Math.max(scale, Math.abs(reference[i][j]));
      }
    }
    return difference / scale;
  }

  @Test
  void foldingBatchNormKeepsTheFunction() throws Exception {
    byte[] fp32 = network(TestTimeAugmentation.NONE);
    OnnxMl.ModelProto folded = BatchNormFolding.fold(OnnxMl.ModelProto.parseFrom(fp32));

    assertThat(folded.getGraph().getNodeList())
        .noneMatch(n -> n.getOpType().equals("BatchNormalization"));
    float[] batch = pictures(4, 1);
    try (OnnxClassifier original = OnnxClassifier.load(fp32, 1);
        OnnxClassifier withoutBatchNorm = OnnxClassifier.load(folded.toByteArray(), 1)) {
      assertThat(relativeError(withoutBatchNorm.logits(batch, 4), original.logits(batch, 4)))
          .isLessThan(1e-5);
    }
  }

  @Test
  void writesAQdqModelThatOnnxRuntimeRunsCloseToTheFloatOne() throws Exception {
    for (TestTimeAugmentation augmentation : TestTimeAugmentation.values()) {
      byte[] fp32 = network(augmentation);
      for (Int8Quantizer.Method method : Int8Quantizer.Method.values()) {
        byte[] int8 = Int8Quantizer.quantize(fp32, pictures(64, 2), 64, SIDE, method);

        OnnxMl.GraphProto graph = OnnxMl.ModelProto.parseFrom(int8).getGraph();
        long convs = graph.getNodeList().stream().filter(n -> n.getOpType().equals("Conv")).count();
        assertThat(graph.getInitializerList())
            .filteredOn(t -> t.getDataType() == OnnxMl.TensorProto.DataType.INT8.getNumber())
            .hasSize((int) (2 * convs));
        assertThat(graph.getNodeList()).anyMatch(n -> n.getOpType().equals("QuantizeLinear"));
        assertThat(graph.getInitializerList())
            .noneMatch(
                t ->
                    t.getName().endsWith(".weight")
                        && t.getDataType() == 1
                        && t.getName().contains("conv"));
        float[] batch = pictures(8, 3);
        try (OnnxClassifier original = OnnxClassifier.load(fp32, 1);
            OnnxClassifier quantized = OnnxClassifier.load(int8, 1)) {
          assertThat(relativeError(quantized.logits(batch, 8), original.logits(batch, 8)))
              .as("%s %s", augmentation, method)
              .isLessThan(0.1);
        }
      }
    }
  }
}
