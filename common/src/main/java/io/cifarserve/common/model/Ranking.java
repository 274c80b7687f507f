package io.cifarserve.common.model;

import java.util.Comparator;
import java.util.stream.IntStream;

/** Picks the best classes from a row of scores (logits or probabilities). */
public final class Ranking {

  private Ranking() {}

  /** Index of the highest score; the lowest index wins ties. */
  public static int argmax(float[] scores) {
    int best = 0;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
      }
    }
    return best;
  }

  /** Indices of the {@code k} highest scores, best first; {@code k} is capped at the row length. */
  public static int[] topK(float[] scores, int k) {
    if (k <= 0) {
      throw new IllegalArgumentException("k must be positive, was " + k);
    }
    return IntStream.range(0, scores.length)
        .boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i))
        .limit(k)
        .mapToInt(Integer::intValue)
        .toArray();
  }
}
