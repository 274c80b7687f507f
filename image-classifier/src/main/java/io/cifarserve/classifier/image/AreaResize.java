package io.cifarserve.classifier.image;

/**
 * Resizes a square picture by area averaging: each output pixel is the mean of the source area it
 * covers, partial source pixels weighted by their overlap. Shrinking this way does not alias the
 * way nearest-neighbour or bilinear sampling does.
 */
final class AreaResize {

  private AreaResize() {}

  /**
   * @param argb source pixels, row-major, {@code side * side} packed ARGB ints
   * @return three planes (R, G, B) of {@code size * size} values in [0, 255]
   */
  static float[][] resize(int[] argb, int side, int size) {
    Coverage coverage = Coverage.of(side, size);
    float[][] planes = new float[3][size * size];
    // Horizontal pass: side rows x size columns per channel.
    double[][] rows = new double[3][side * size];
    for (int y = 0; y < side; y++) {
      for (int ox = 0; ox < size; ox++) {
        double r = 0;
        double g = 0;
        double b = 0;
        for (int k = 0; k < coverage.count(ox); k++) {
          int pixel = argb[y * side + coverage.first(ox) + k];
          double w = coverage.weight(ox, k);
          r += w * ((pixel >> 16) & 0xFF);
          g += w * ((pixel >> 8) & 0xFF);
          b += w * (pixel & 0xFF);
        }
        rows[0][y * size + ox] = r;
        rows[1][y * size + ox] = g;
        rows[2][y * size + ox] = b;
      }
    }
    // Vertical pass.
    for (int c = 0; c < 3; c++) {
      for (int oy = 0; oy < size; oy++) {
        for (int ox = 0; ox < size; ox++) {
          double sum = 0;
          for (int k = 0; k < coverage.count(oy); k++) {
            sum += coverage.weight(oy, k) * rows[c][(coverage.first(oy) + k) * size + ox];
          }
          planes[c][oy * size + ox] = (float) sum;
        }
      }
    }
    return planes;
  }

  /** For each output index: the source pixels it covers and the share of each, summing to 1. */
  private record Coverage(int[] firsts, double[][] weights) {

    static Coverage of(int side, int size) {
      double scale = (double) side / size;
      int[] firsts = new int[size];
      double[][] weights = new double[size][];
      for (int o = 0; o < size; o++) {
        double start = o * scale;
        double end = (o + 1) * scale;
        int first = (int) Math.floor(start);
        int last = Math.min(side - 1, (int) Math.ceil(end) - 1);
        double[] w = new double[last - first + 1];
        for (int i = first; i <= last; i++) {
          double overlap = Math.min(end, i + 1) - Math.max(start, i);
          w[i - first] = Math.max(0, overlap) / scale;
        }
        firsts[o] = first;
        weights[o] = w;
      }
      return new Coverage(firsts, weights);
    }

    int first(int o) {
      return firsts[o];
    }

    int count(int o) {
      return weights[o].length;
    }

    double weight(int o, int k) {
      return weights[o][k];
    }
  }
}
