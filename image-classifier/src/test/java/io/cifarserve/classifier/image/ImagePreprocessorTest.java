package io.cifarserve.classifier.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {

  /** Mean 0 and std 1 leave pixel/255, which keeps expected values readable. */
  private final ImagePreprocessor identity =
      new ImagePreprocessor(2, List.of(0f, 0f, 0f), List.of(1f, 1f, 1f));

  @Test
  void normalisesWithMeanAndStdInPlanarOrder() {
    ImagePreprocessor cifar = new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD);

    float[] tensor = cifar.toTensor(TestImages.solid(32, 32, new Color(255, 0, 128)));

    assertThat(tensor).hasSize(3 * 32 * 32);
    assertThat(tensor[0]).isCloseTo((1f - 0.4914f) / 0.2470f, within(1e-5f));
    assertThat(tensor[32 * 32]).isCloseTo((0f - 0.4822f) / 0.2435f, within(1e-5f));
    assertThat(tensor[2 * 32 * 32 + 5]).isCloseTo((128 / 255f - 0.4465f) / 0.2616f, within(1e-5f));
  }

  @Test
  void areaAveragesWhenShrinkingByAWholeFactor() {
    // 4x4 checkerboard of black and white pixels: each 2x2 block averages to mid grey.
    BufferedImage board = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        board.setRGB(x, y, (x + y) % 2 == 0 ? 0xFFFFFF : 0x000000);
      }
    }

    float[] tensor = identity.toTensor(board);

    for (float value : tensor) {
      assertThat(value).isCloseTo(0.5f, within(1e-6f));
    }
  }

  @Test
  void weighsPartlyCoveredPixelsByTheirOverlap() {
    // 3 columns into 2: output 0 covers source 0 fully and half of source 1.
    BufferedImage strip = new BufferedImage(3, 3, BufferedImage.TYPE_INT_RGB);
    int[] columns = {0, 150, 255};
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        strip.setRGB(x, y, columns[x] << 16);
      }
    }

    float[] tensor = identity.toTensor(strip);

    float left = (0 + 0.5f * 150) / 1.5f / 255f;
    float right = (0.5f * 150 + 255) / 1.5f / 255f;
    assertThat(tensor[0]).isCloseTo(left, within(1e-5f));
    assertThat(tensor[1]).isCloseTo(right, within(1e-5f));
  }

  @Test
  void cropsTheCentreSquareOfAWidePicture() {
    BufferedImage wide = TestImages.solid(6, 2, Color.GREEN);
    wide.setRGB(2, 0, 0xFF0000);
    wide.setRGB(3, 0, 0xFF0000);
    wide.setRGB(2, 1, 0xFF0000);
    wide.setRGB(3, 1, 0xFF0000);

    float[] tensor = identity.toTensor(wide);

    assertThat(List.of(tensor[0], tensor[1], tensor[2], tensor[3])).containsOnly(1f);
    assertThat(List.of(tensor[4], tensor[5], tensor[6], tensor[7])).containsOnly(0f);
  }

  @Test
  void batchesImagesBackToBack() {
    float[] batch =
        identity.toBatchTensor(
            List.of(TestImages.solid(2, 2, Color.RED), TestImages.solid(2, 2, Color.BLUE)));

    assertThat(batch).hasSize(2 * identity.imageLength());
    assertThat(batch[0]).isEqualTo(1f); // first image, red plane
    assertThat(batch[identity.imageLength() + 8]).isEqualTo(1f); // second image, blue plane
    assertThat(batch[identity.imageLength()]).isEqualTo(0f); // second image, red plane
  }

  @Test
  void planarBytesAndPicturesGiveTheSameTensor() {
    // Training reads CIFAR-10 records as planar bytes; serving decodes pictures. They must agree.
    ImagePreprocessor cifar = new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD);
    Random random = new Random(7);
    byte[] planar = new byte[3 * 32 * 32];
    random.nextBytes(planar);
    BufferedImage picture = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < 32 * 32; i++) {
      int r = planar[i] & 0xFF;
      int g = planar[1024 + i] & 0xFF;
      int b = planar[2048 + i] & 0xFF;
      picture.setRGB(i % 32, i / 32, (r << 16) | (g << 8) | b);
    }
    float[] fromBytes = new float[3 * 32 * 32];
    cifar.writeTensor(planar, 0, fromBytes, 0);

    float[] fromPicture = cifar.toTensor(picture);

    for (int i = 0; i < fromBytes.length; i++) {
      assertThat(fromPicture[i]).as("value %d", i).isCloseTo(fromBytes[i], within(1e-5f));
    }
  }

  @Test
  void planarBytesRoundTripAPictureOfTheInputSize() {
    ImagePreprocessor cifar = new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD);
    BufferedImage picture =
        TestImages.halves(32, 32, new Color(10, 20, 30), new Color(200, 100, 0));

    byte[] planar = cifar.toPlanarRgb(picture);

    assertThat(planar[0] & 0xFF).isEqualTo(10); // red plane, left
    assertThat(planar[1024 + 31] & 0xFF).isEqualTo(100); // green plane, right
    assertThat(planar[2048] & 0xFF).isEqualTo(30); // blue plane, left
    float[] viaBytes = new float[3 * 32 * 32];
    cifar.writeTensor(planar, 0, viaBytes, 0);
    assertThat(viaBytes).containsExactly(cifar.toTensor(picture), within(1e-5f));
  }
}
