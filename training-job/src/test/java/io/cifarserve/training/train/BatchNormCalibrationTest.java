package io.cifarserve.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchNormCalibrationTest {

  private static final int BATCH = 6;

  @Test
  void measuresTheMeanOfEachBatchsStatistics() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(Stem.CIFAR, 4, 10));
      net.initialize(manager, 16);
      Random random = new Random(3);
      NDArray first = randomBatch(manager, random);
      NDArray second = randomBatch(manager, random).mul(3).add(1);
      BatchNormCalibration calibration = new BatchNormCalibration(net, manager);

      calibration.add(first);
      calibration.add(second);
      calibration.finish();

      // The first batch norm sees the stem convolution's output (3x3, stride 1, padding 1).
      NDArray weight = net.parameters().get("conv1.weight").getArray();
      NDArray a = stem(first, weight);
      NDArray b = stem(second, weight);
      float[] expectedMean = mean(a).add(mean(b)).div(2).toFloatArray();
      float[] expectedVariance = unbiasedVariance(a).add(unbiasedVariance(b)).div(2).toFloatArray();
      assertThat(calibration.batches()).isEqualTo(2);
      assertThat(net.parameters().get("bn1.running_mean").getArray().toFloatArray())
          .containsExactly(expectedMean, within(1e-4f));
      assertThat(net.parameters().get("bn1.running_var").getArray().toFloatArray())
          .containsExactly(expectedVariance, within(1e-3f));
    }
  }

  @Test
  void refusesBatchesWithoutAVariance() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(Stem.CIFAR, 4, 10));
      net.initialize(manager, 16);
      BatchNormCalibration calibration = new BatchNormCalibration(net, manager);

      assertThatThrownBy(() -> calibration.add(manager.ones(new Shape(1, 3, 16, 16))))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(calibration::finish).isInstanceOf(IllegalStateException.class);
    }
  }

  private static NDArray randomBatch(NDManager manager, Random random) {
    float[] values = new float[BATCH * 3 * 16 * 16];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return manager.create(values, new Shape(BATCH, 3, 16, 16));
  }

  private static NDArray stem(NDArray x, NDArray weight) {
    return Conv2d.conv2d(x, weight, null, new Shape(1, 1), new Shape(1, 1)).singletonOrThrow();
  }

  /** Values per channel of NCHW activations. */
  private static long perChannel(NDArray activations) {
    return activations.size() / activations.getShape().get(1);
  }

  private static NDArray mean(NDArray activations) {
    return activations.sum(new int[] {0, 2, 3}).div(perChannel(activations));
  }

  private static NDArray unbiasedVariance(NDArray activations) {
    long n = perChannel(activations);
    NDArray centred = activations.sub(mean(activations).reshape(1, -1, 1, 1));
    return centred.square().sum(new int[] {0, 2, 3}).div(n - 1);
  }
}
