package io.cifarserve.training.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.training.testing.SyntheticCifar;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StratifiedSplitTest {

  @Test
  void holdsOutTheSameShareOfEveryClassReproducibly(@TempDir Path dir) throws Exception {
    LabeledImages all = CifarBinaryFormat.read(SyntheticCifar.write(dir, 100)).train();

    StratifiedSplit.Parts parts = StratifiedSplit.split(all, 10, 0.1, 3);
    StratifiedSplit.Parts again = StratifiedSplit.split(all, 10, 0.1, 3);

    assertThat(parts.train().size()).isEqualTo(450);
    assertThat(parts.validation().classCounts(10)).containsOnly(5);
    assertThat(parts.train().classCounts(10)).containsOnly(45);
    assertThat(again).isEqualTo(parts);
    assertThat(StratifiedSplit.split(all, 10, 0.1, 4).validation())
        .isNotEqualTo(parts.validation());
  }

  @Test
  void augmentationShiftsAndMirrorsWithinBounds() {
    int size = 4;
    byte[] image = new byte[3 * size * size];
    for (int i = 0; i < image.length; i++) {
      image[i] = (byte) (i + 1); // no zeros: a zero in the output can only be padding
    }
    byte[] out = new byte[image.length];
    Augmentation none = new Augmentation(0);
    Random random = new Random(1);
    boolean sawMirror = false;
    boolean sawIdentity = false;
    for (int trial = 0; trial < 20; trial++) {
      none.apply(image, 0, out, 0, size, random);
      sawIdentity |= java.util.Arrays.equals(out, image);
      sawMirror |= out[0] == image[size - 1];
    }
    assertThat(sawIdentity).isTrue();
    assertThat(sawMirror).isTrue();

    Augmentation padded = new Augmentation(2);
    boolean sawPadding = false;
    for (int trial = 0; trial < 50; trial++) {
      padded.apply(image, 0, out, 0, size, random);
      for (byte b : out) {
        sawPadding |= b == 0;
      }
    }
    assertThat(sawPadding).isTrue();
  }
}
