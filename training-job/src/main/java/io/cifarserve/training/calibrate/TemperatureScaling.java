package io.cifarserve.training.calibrate;

/**
 * Fits the one softmax temperature that minimises the negative log-likelihood of labelled logits.
 * Dividing logits by a constant keeps their order, so the predicted class, and with it accuracy,
 * does not change.
 */
public final class TemperatureScaling {

  private static final double MIN = 0.05;
  private static final double MAX = 20;
  private static final int STEPS = 80;

  private TemperatureScaling() {}

  /** The fitted temperature, found by golden-section search on its logarithm. */
  public static double fit(float[][] logits, int[] labels) {
    // The NLL is convex in 1 / T, so it has one minimum along log T too.
    double a = Math.log(MIN);
    double b = Math.log(MAX);
    double ratio = (Math.sqrt(5) - 1) / 2;
    double c = b - ratio * (b - a);
    double d = a + ratio * (b - a);
    double fc = nll(logits, labels, Math.exp(c));
    double fd = nll(logits, labels, Math.exp(d));
    for (int step = 0; step < STEPS; step++) {
      if (fc < fd) {
        b = d;
        d = c;
        fd = fc;
        c = b - ratio * (b - a);
        fc = nll(logits, labels, Math.exp(c));
      } else {
        a = c;
        c = d;
        fc = fd;
        d = a + ratio * (b - a);
        fd = nll(logits, labels, Math.exp(d));
      }
    }
    return Math.exp((a + b) / 2);
  }

  /** Mean negative log-likelihood of the true classes at temperature {@code t}. */
  static double nll(float[][] logits, int[] labels, double t) {
    double total = 0;
    for (int i = 0; i < labels.length; i++) {
      float[] row = logits[i];
      double max = Double.NEGATIVE_INFINITY;
      for (float v : row) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (float v : row) {
        sum += Math.exp((v - max) / t);
      }
      total += Math.log(sum) - (row[labels[i]] - max) / t;
    }
    return total / Math.max(1, labels.length);
  }
}
