package io.cifarserve.inference.engine;

import io.cifarserve.common.model.MetricKeys;
import io.cifarserve.common.model.ModelMetadata;
import java.util.List;

/**
 * How far the classes a model predicted lately are from those it predicted on its own test set: the
 * population stability index (PSI) over the last {@value #WINDOW} predictions. Below 0.1 is usually
 * read as no shift, above 0.25 as a large one. The expected shares come from the test-set confusion
 * matrix in the model's metadata (what it predicted, not the true classes), uniform without one.
 */
final class PredictionDrift {

  static final int WINDOW = 1000;

  /** Fewer predictions than this give no score (NaN): a handful of pictures is not a shift. */
  static final int MINIMUM = 100;

  /** Shares below this count as this, so that an unseen class does not make the score infinite. */
  private static final double FLOOR = 1e-3;

  private final double[] expected;
  private final int[] counts;
  private final int[] window = new int[WINDOW];
  private int size;
  private int next;

  PredictionDrift(ModelMetadata metadata) {
    this.expected = expectedShares(metadata);
    this.counts = new int[expected.length];
  }

  static double[] expectedShares(ModelMetadata metadata) {
    List<String> labels = metadata.labels();
    double[] shares = new double[labels.size()];
    double total = 0;
    for (int predicted = 0; predicted < labels.size(); predicted++) {
      for (String truth : labels) {
        Double count = metadata.metrics().get(MetricKeys.confusion(truth, labels.get(predicted)));
        if (count != null) {
          shares[predicted] += count;
          total += count;
        }
      }
    }
    for (int i = 0; i < shares.length; i++) {
      shares[i] = total > 0 ? shares[i] / total : 1.0 / shares.length;
    }
    return shares;
  }

  synchronized void record(int classIndex) {
    if (size == WINDOW) {
      counts[window[next]]--;
    } else {
      size++;
    }
    window[next] = classIndex;
    counts[classIndex]++;
    next = (next + 1) % WINDOW;
  }

  /** PSI of the window against the test set's shares; NaN before {@value #MINIMUM} predictions. */
  synchronized double score() {
    if (size < MINIMUM) {
      return Double.NaN;
    }
    double psi = 0;
    for (int i = 0; i < expected.length; i++) {
      double actual = Math.max((double) counts[i] / size, FLOOR);
      double wanted = Math.max(expected[i], FLOOR);
      psi += (actual - wanted) * Math.log(actual / wanted);
    }
    return psi;
  }
}
