package io.cifarserve.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.model.TestTimeAugmentation;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NetworkRunnerTest {

  @Test
  void flipAveragingReportsTheSinglePassFromTheSameForwardPasses() {
    Engine.getInstance().setRandomSeed(7);
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(Stem.IMAGENET, 8, 10));
      net.initialize(manager, 32);
      ImagePreprocessor preprocessor = new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD);
      // More images than one evaluation batch, so batches are stitched together too.
      LabeledImages images = randomImages(300, new Random(4));

      NetworkRunner.PredictionsWithSingleView both =
          new NetworkRunner(net, manager, preprocessor, TestTimeAugmentation.HORIZONTAL_FLIP)
              .predictWithSingleView(images);
      NetworkRunner.Predictions plain =
          new NetworkRunner(net, manager, preprocessor).predict(images);
      NetworkRunner.Predictions flipped =
          new NetworkRunner(net, manager, preprocessor, TestTimeAugmentation.HORIZONTAL_FLIP)
              .predict(images);

      assertThat(both.singleView().predicted()).isEqualTo(plain.predicted());
      assertThat(both.singleView().meanLoss()).isCloseTo(plain.meanLoss(), within(1e-9));
      assertThat(both.predictions().predicted()).isEqualTo(flipped.predicted());
      assertThat(both.predictions().meanLoss()).isCloseTo(flipped.meanLoss(), within(1e-9));
      // Random pictures are not symmetric: averaging with the mirror image changes the outcome.
      assertThat(both.predictions().meanLoss())
          .isNotCloseTo(both.singleView().meanLoss(), within(1e-6));
    }
  }

  private static LabeledImages randomImages(int n, Random random) {
    byte[] pixels = new byte[n * LabeledImages.bytesPerImage(32)];
    random.nextBytes(pixels);
    int[] labels = random.ints(n, 0, 10).toArray();
    return new LabeledImages(pixels, labels, 32);
  }
}
