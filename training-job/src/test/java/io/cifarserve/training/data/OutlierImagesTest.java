package io.cifarserve.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutlierImagesTest {

  private static final ImagePreprocessor PREPROCESSOR =
      new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD);

  @TempDir Path dir;

  @Test
  void cropsAreDrawnFromTheGeneratorSoTheSameSeedGivesTheSameCrops() throws Exception {
    Files.write(
        dir.resolve("halves.png"),
        TestImages.png(TestImages.halves(300, 200, Color.RED, Color.BLUE)));
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub/green.jpg"), TestImages.jpeg(120, 90, Color.GREEN));
    Files.writeString(dir.resolve("LICENSES.md"), "not a picture");
    OutlierImages outliers = OutlierImages.load(dir);

    float[] first = crops(outliers, 7);
    float[] again = crops(outliers, 7);
    float[] other = crops(outliers, 8);

    assertThat(outliers.size()).isEqualTo(2);
    assertThat(again).containsExactly(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void aCropIsNormalisedLikeAnyInputAndMirroredHalfTheTime() throws Exception {
    Files.write(
        dir.resolve("halves.png"),
        TestImages.png(TestImages.halves(400, 400, Color.RED, Color.BLUE)));
    OutlierImages outliers = OutlierImages.load(dir);
    float red = PREPROCESSOR.toTensor(TestImages.solid(32, 32, Color.RED))[0];
    int plane = 32 * 32;
    int redOnlyLeft = 0;
    int redOnlyRight = 0;
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      float[] crop = new float[PREPROCESSOR.imageLength()];
      outliers.writeCrop(PREPROCESSOR, random, crop, 0);
      boolean left = crop[16 * 32] == red;
      boolean right = crop[16 * 32 + 31] == red;
      redOnlyLeft += left && !right ? 1 : 0;
      redOnlyRight += right && !left ? 1 : 0;
      assertThat(crop[plane]).isBetween(-3f, 3f);
    }
    // Unmirrored, red is only ever on the left of a crop that spans both halves.
    assertThat(redOnlyLeft + redOnlyRight).isGreaterThan(50);
    assertThat(redOnlyRight).isGreaterThan(redOnlyLeft / 3);
    assertThat(redOnlyLeft).isGreaterThan(redOnlyRight / 3);
  }

  @Test
  void theChecksumFollowsTheSetsContent() throws Exception {
    Path picture = dir.resolve("a.png");
    Files.write(picture, TestImages.png(64, 64, Color.RED));
    String before = OutlierImages.load(dir).sha256();
    Files.write(picture, TestImages.png(64, 64, Color.BLUE));

    assertThat(OutlierImages.load(dir).sha256()).hasSize(64).isNotEqualTo(before);
  }

  @Test
  void anEmptyFolderOrADamagedPictureIsRefusedNamingIt() throws Exception {
    assertThatThrownBy(() -> OutlierImages.load(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("holds no PNG, JPEG, BMP or GIF pictures");
    Files.write(dir.resolve("cut.png"), TestImages.truncated(TestImages.png(64, 64, Color.RED)));

    assertThatThrownBy(() -> OutlierImages.load(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("cut.png");
  }

  private static float[] crops(OutlierImages outliers, long seed) {
    Random random = new Random(seed);
    float[] batch = new float[4 * PREPROCESSOR.imageLength()];
    for (int i = 0; i < 4; i++) {
      outliers.writeCrop(PREPROCESSOR, random, batch, i * PREPROCESSOR.imageLength());
    }
    return batch;
  }
}
