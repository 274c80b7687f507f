package io.cifarserve.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SyntheticOutliersTest {

  private static LabeledImages oneGradientPicture() {
    byte[] pixels = new byte[3 * 32 * 32];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i % 251);
    }
    return new LabeledImages(pixels, new int[] {3}, 32);
  }

  @Test
  void shuffledTilesAreTheSourcePixelsRearrangedInWholeTiles() {
    LabeledImages train = oneGradientPicture();
    byte[] shuffled =
        SyntheticOutliers.picture(SyntheticOutliers.Kind.SHUFFLED_TILES, train, 32, new Random(3));
    byte[] sortedSource = train.pixels().clone();
    byte[] sortedShuffled = shuffled.clone();
    Arrays.sort(sortedSource);
    Arrays.sort(sortedShuffled);
    assertThat(sortedShuffled).isEqualTo(sortedSource);
    assertThat(shuffled).isNotEqualTo(train.pixels());
    // every 8-pixel tile row is a row of some tile of the source
    String source = new String(train.pixels(), java.nio.charset.StandardCharsets.ISO_8859_1);
    for (int row = 0; row < 32; row++) {
      for (int tile = 0; tile < 4; tile++) {
        String piece =
            new String(
                shuffled, row * 32 + tile * 8, 8, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(source).contains(piece);
      }
    }
  }

  @Test
  void blobsAreSmoothAndNoiseIsNot() {
    LabeledImages train = oneGradientPicture();
    Random random = new Random(5);
    double blobs =
        roughness(SyntheticOutliers.picture(SyntheticOutliers.Kind.BLOBS, train, 32, random));
    double noise =
        roughness(SyntheticOutliers.picture(SyntheticOutliers.Kind.NOISE, train, 32, random));
    assertThat(blobs).isLessThan(20);
    assertThat(noise).isGreaterThan(60);
  }

  /** Mean absolute difference between horizontal neighbours, in grey levels. */
  private static double roughness(byte[] planar) {
    double sum = 0;
    int n = 0;
    for (int row = 0; row < 3 * 32; row++) {
      for (int x = 1; x < 32; x++) {
        sum += Math.abs((planar[row * 32 + x] & 0xff) - (planar[row * 32 + x - 1] & 0xff));
        n++;
      }
    }
    return sum / n;
  }
}
