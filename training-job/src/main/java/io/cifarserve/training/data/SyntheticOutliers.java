package io.cifarserve.training.data;

import io.cifarserve.classifier.image.ImagePreprocessor;
import java.util.Random;

/**
 * Made-up pictures of nothing, mixed into outlier exposure beside crops of real pictures: uniform
 * noise, smooth colour blobs (random colours on a coarse grid, bilinearly upsampled), and training
 * pictures cut into a 4x4 grid of tiles and shuffled, which keeps the colours and textures of the
 * classes but not their shapes.
 */
public final class SyntheticOutliers {

  /** The kinds of made-up picture, drawn with equal chances. */
  public enum Kind {
    NOISE,
    BLOBS,
    SHUFFLED_TILES
  }

  private static final int TILES = 4;

  private SyntheticOutliers() {}

  /** Writes a made-up picture of a random kind, normalised, as CHW floats at {@code offset}. */
  public static void write(
      LabeledImages train,
      ImagePreprocessor preprocessor,
      Random random,
      float[] dest,
      int offset) {
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    preprocessor.writeTensor(
        picture(kind, train, preprocessor.inputSize(), random), 0, dest, offset);
  }

  /** A made-up picture as planar RGB bytes, {@code size} x {@code size}. */
  static byte[] picture(Kind kind, LabeledImages train, int size, Random random) {
    return switch (kind) {
      case NOISE -> noise(size, random);
      case BLOBS -> blobs(size, random);
      case SHUFFLED_TILES -> shuffledTiles(train, size, random);
    };
  }

  private static byte[] noise(int size, Random random) {
    byte[] planar = new byte[3 * size * size];
    random.nextBytes(planar);
    return planar;
  }

  private static byte[] blobs(int size, Random random) {
    int grid = 2 + random.nextInt(4);
    float[][] corners = new float[3][(grid + 1) * (grid + 1)];
    for (float[] channel : corners) {
      for (int i = 0; i < channel.length; i++) {
        channel[i] = random.nextInt(256);
      }
    }
    byte[] planar = new byte[3 * size * size];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < size; y++) {
        for (int x = 0; x < size; x++) {
          double gx = x * grid / (double) (size - 1);
          double gy = y * grid / (double) (size - 1);
          int x0 = Math.min((int) gx, grid - 1);
          int y0 = Math.min((int) gy, grid - 1);
          double fx = gx - x0;
          double fy = gy - y0;
          float[] v = corners[c];
          int w = grid + 1;
          double top = v[y0 * w + x0] * (1 - fx) + v[y0 * w + x0 + 1] * fx;
          double bottom = v[(y0 + 1) * w + x0] * (1 - fx) + v[(y0 + 1) * w + x0 + 1] * fx;
          planar[c * size * size + y * size + x] = (byte) Math.round(top * (1 - fy) + bottom * fy);
        }
      }
    }
    return planar;
  }

  private static byte[] shuffledTiles(LabeledImages train, int size, Random random) {
    if (train.imageSize() != size || size % TILES != 0) {
      return noise(size, random);
    }
    int source = train.offset(random.nextInt(train.size()));
    int tile = size / TILES;
    int[] order = new int[TILES * TILES];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    byte[] planar = new byte[3 * size * size];
    for (int to = 0; to < order.length; to++) {
      int from = order[to];
      for (int c = 0; c < 3; c++) {
        for (int row = 0; row < tile; row++) {
          int src =
              source
                  + c * size * size
                  + ((from / TILES) * tile + row) * size
                  + (from % TILES) * tile;
          int dst = c * size * size + ((to / TILES) * tile + row) * size + (to % TILES) * tile;
          System.arraycopy(train.pixels(), src, planar, dst, tile);
        }
      }
    }
    return planar;
  }
}
