package io.cifarserve.training.export;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.model.TestTimeAugmentation;
import io.cifarserve.training.testing.Networks;
import io.cifarserve.training.train.NetworkRunner;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The hand-written ONNX graph computes what the DJL network computes, for every stem. */
class OnnxExportParityTest {

  @ParameterizedTest
  @EnumSource(Stem.class)
  void onnxRuntimeMatchesDjl(Stem stem) {
    Engine.getInstance().setRandomSeed(5);
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(stem, 8, 10));
      net.initialize(manager, 32);
      Networks.randomiseBatchNorm(net, new Random(stem.ordinal()));
      ImagePreprocessor preprocessor = new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD);
      float[] batch = new float[4 * preprocessor.imageLength()];
      Random random = new Random(9);
      for (int i = 0; i < batch.length; i++) {
        batch[i] = (float) random.nextGaussian();
      }
      byte[] onnx = OnnxExporter.export(net, TestMetadata.colourClassifierMetadata("1", 32));

      ParityCheck.Comparison parity =
          ParityCheck.verify(new NetworkRunner(net, manager, preprocessor), onnx, batch, 4);

      assertThat(parity.maxAbsDifference()).isLessThanOrEqualTo(parity.limit());
      assertThat(parity.maxAbsLogit()).isPositive();
      try (OnnxClassifier loaded = OnnxClassifier.load(onnx, 1)) {
        assertThat(loaded.logits(batch, 4)).hasNumberOfRows(4);
      }
    }
  }

  @Test
  void flipAveragedExportAveragesEachPictureWithItsMirrorImage() {
    Engine.getInstance().setRandomSeed(6);
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(Stem.IMAGENET, 8, 10));
      net.initialize(manager, 32);
      Networks.randomiseBatchNorm(net, new Random(3));
      ImagePreprocessor preprocessor = new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD);
      int n = 3;
      float[] batch = new float[n * preprocessor.imageLength()];
      Random random = new Random(11);
      for (int i = 0; i < batch.length; i++) {
        batch[i] = (float) random.nextGaussian();
      }
      byte[] single = OnnxExporter.export(net, TestMetadata.colourClassifierMetadata("1", 32));
      byte[] averaged =
          OnnxExporter.export(
              net,
              TestMetadata.colourClassifierMetadata("1", 32),
              TestTimeAugmentation.HORIZONTAL_FLIP);

      NetworkRunner djl =
          new NetworkRunner(net, manager, preprocessor, TestTimeAugmentation.HORIZONTAL_FLIP);
      ParityCheck.Comparison parity = ParityCheck.verify(djl, averaged, batch, n);
      assertThat(parity.maxAbsDifference()).isLessThanOrEqualTo(parity.limit());
      try (OnnxClassifier plain = OnnxClassifier.load(single, 1);
          OnnxClassifier flipped = OnnxClassifier.load(averaged, 1)) {
        float[][] asGiven = plain.logits(batch, n);
        float[][] mirrored = plain.logits(mirrorColumns(batch, 32), n);
        float[][] actual = flipped.logits(batch, n);
        for (int i = 0; i < n; i++) {
          assertThat(actual[i]).hasSize(10);
          for (int c = 0; c < 10; c++) {
            assertThat(actual[i][c])
                .isCloseTo((asGiven[i][c] + mirrored[i][c]) / 2, Offset.offset(1e-4f));
          }
        }
        // Random pictures are not symmetric, so the mirror image really changes the logits.
        assertThat(Math.abs(asGiven[0][0] - mirrored[0][0])).isGreaterThan(1e-3f);
      }
    }
  }

  /** NCHW pictures flipped left to right. */
  private static float[] mirrorColumns(float[] nchw, int side) {
    float[] out = new float[nchw.length];
    for (int row = 0; row < nchw.length / side; row++) {
      for (int x = 0; x < side; x++) {
        out[row * side + x] = nchw[row * side + side - 1 - x];
      }
    }
    return out;
  }

  /** Fresh BatchNorm layers are identities; real statistics make the comparison meaningful. */
}
