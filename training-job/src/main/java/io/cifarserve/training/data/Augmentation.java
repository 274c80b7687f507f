package io.cifarserve.training.data;

import java.util.Random;

/**
 * The standard CIFAR augmentation on planar RGB bytes: pad each side with black, crop a random
 * window of the original size, and mirror left-right half of the time.
 */
public final class Augmentation {

  private final int padding;

  public Augmentation(int padding) {
    this.padding = padding;
  }

  /**
   * Writes an augmented copy of the image at {@code src[srcOffset]} into {@code dest[destOffset]}.
   */
  public void apply(
      byte[] src, int srcOffset, byte[] dest, int destOffset, int size, Random random) {
    int dx = random.nextInt(2 * padding + 1) - padding;
    int dy = random.nextInt(2 * padding + 1) - padding;
    boolean flip = random.nextBoolean();
    int plane = size * size;
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        int sy = y + dy;
        for (int x = 0; x < size; x++) {
          int sx = (flip ? size - 1 - x : x) + dx;
          byte value = 0;
          if (sx >= 0 && sx < size && sy >= 0 && sy < size) {
            value = src[srcOffset + c * plane + sy * size + sx];
          }
          dest[destOffset + c * plane + y * size + x] = value;
        }
      }
    }
  }
}
