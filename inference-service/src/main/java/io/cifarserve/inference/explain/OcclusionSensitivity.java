package io.cifarserve.inference.explain;

import java.util.ArrayList;
import java.util.List;

/**
 * "Why this class?": slides a mid-grey square over the picture and measures how much a class's
 * probability drops at each position. The regions whose covering hurts most are the ones the model
 * relied on. The original and every occluded copy are classified together, as one batch.
 *
 * @param patch side of the grey square, in model pixels
 * @param stride step between positions
 */
record OcclusionSensitivity(int patch, int stride) {

  /** The original tensor first, then one occluded copy per position, row-major. */
  List<float[]> occludedCopies(float[] original, int size, float[] normalisedGrey) {
    int grid = grid(size);
    int plane = size * size;
    List<float[]> batch = new ArrayList<>(1 + grid * grid);
    batch.add(original);
    for (int gy = 0; gy < grid; gy++) {
      for (int gx = 0; gx < grid; gx++) {
        float[] copy = original.clone();
        for (int c = 0; c < normalisedGrey.length; c++) {
          for (int y = gy * stride; y < gy * stride + patch; y++) {
            for (int x = gx * stride; x < gx * stride + patch; x++) {
              copy[c * plane + y * size + x] = normalisedGrey[c];
            }
          }
        }
        batch.add(copy);
      }
    }
    return batch;
  }

  /**
   * Per pixel, the mean drop in {@code label}'s probability over the positions covering it, from
   * the probabilities of {@link #occludedCopies}'s batch.
   */
  double[] heat(List<float[]> probabilities, int label, int size) {
    int grid = grid(size);
    double base = probabilities.get(0)[label];
    double[] heat = new double[size * size];
    int[] cover = new int[size * size];
    for (int gy = 0; gy < grid; gy++) {
      for (int gx = 0; gx < grid; gx++) {
        double drop = Math.max(0, base - probabilities.get(1 + gy * grid + gx)[label]);
        for (int y = gy * stride; y < gy * stride + patch; y++) {
          for (int x = gx * stride; x < gx * stride + patch; x++) {
            heat[y * size + x] += drop;
            cover[y * size + x]++;
          }
        }
      }
    }
    for (int i = 0; i < heat.length; i++) {
      heat[i] = cover[i] == 0 ? 0 : heat[i] / cover[i];
    }
    return heat;
  }

  private int grid(int size) {
    return (size - patch) / stride + 1;
  }
}
