package io.cifarserve.training.calibrate;

import io.cifarserve.common.model.Calibration;
import io.cifarserve.common.model.Ranking;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Chooses a model's temperature, confidence score and unsure threshold, and measures them honestly.
 *
 * <p>Everything is fitted on test pictures, which the model never trained on, and reported
 * cross-fitted: the test set is split into two halves (alternating within each class), the
 * temperature and threshold fitted on one half are applied to the other, and the figures are pooled
 * over both. The values shipped in the model are fitted on the whole test set.
 *
 * <p>The threshold keeps {@link #KEEP_CORRECT} of the correctly classified pictures confident; what
 * falls below it is unsure. Out-of-distribution photographs are used only to compare the scores and
 * to report how many of them are flagged; nothing is fitted on them.
 */
public final class TrustAnalysis {

  /** Share of correctly classified test pictures the threshold keeps confident. */
  public static final double KEEP_CORRECT = 0.95;

  private static final int CURVE_POINTS = 100;

  private TrustAnalysis() {}

  /** A picture made to test the unsure answer, e.g. pure noise, with its logits. */
  public record Probe(String name, float[] logits) {}

  /**
   * @param test logits of the test pictures, one row each
   * @param labels their true classes
   * @param outOfDistribution logits of photographs of none of the classes; may be empty
   * @param probes made-up pictures to report on
   */
  public static TrustReport analyse(
      float[][] test, int[] labels, float[][] outOfDistribution, List<Probe> probes) {
    int[] fold = halves(labels);
    double temperature = TemperatureScaling.fit(test, labels);
    double[] foldTemperature = new double[2];
    for (int f = 0; f < 2; f++) {
      foldTemperature[f] = TemperatureScaling.fit(rows(test, fold, f), select(labels, fold, f));
    }
    // Each picture is calibrated with the temperature fitted on the other half.
    float[][] before = new float[test.length][];
    float[][] after = new float[test.length][];
    for (int i = 0; i < test.length; i++) {
      before[i] = Calibration.NONE.probabilities(test[i]);
      after[i] = calibration(foldTemperature[1 - fold[i]]).probabilities(test[i]);
    }
    boolean[] correct = new boolean[test.length];
    for (int i = 0; i < test.length; i++) {
      correct[i] = Ranking.argmax(test[i]) == labels[i];
    }

    List<TrustReport.ScoreResult> scores = new ArrayList<>();
    for (Calibration.Score kind : Calibration.Score.values()) {
      scores.add(
          measure(kind, test, correct, fold, temperature, foldTemperature, outOfDistribution));
    }
    TrustReport.ScoreResult chosen = choose(scores, outOfDistribution.length > 0);
    Calibration.Score chosenScore = Calibration.Score.of(chosen.score());
    Calibration shipped = new Calibration(temperature, chosenScore, chosen.threshold());
    List<TrustReport.ProbeResult> probeResults = new ArrayList<>();
    for (Probe probe : probes) {
      double score = shipped.score(probe.logits());
      float[] probabilities = shipped.probabilities(probe.logits());
      probeResults.add(
          new TrustReport.ProbeResult(
              probe.name(),
              score,
              shipped.unsure(score),
              probabilities[Ranking.argmax(probabilities)]));
    }
    return new TrustReport(
        test.length,
        outOfDistribution.length,
        KEEP_CORRECT,
        temperature,
        List.of(foldTemperature[0], foldTemperature[1]),
        Reliability.of(before, labels),
        Reliability.of(after, labels),
        shipped,
        scores,
        probeResults);
  }

  private static TrustReport.ScoreResult measure(
      Calibration.Score kind,
      float[][] test,
      boolean[] correct,
      int[] fold,
      double temperature,
      double[] foldTemperature,
      float[][] outOfDistribution) {
    // Thresholds fitted on each half, with that half's temperature.
    double[] foldThreshold = new double[2];
    for (int f = 0; f < 2; f++) {
      List<Double> kept = new ArrayList<>();
      for (int i = 0; i < test.length; i++) {
        if (fold[i] == f && correct[i]) {
          kept.add(calibration(foldTemperature[f]).score(kind, test[i]));
        }
      }
      foldThreshold[f] = threshold(kept);
    }
    // Reported on the other half.
    double[] score = new double[test.length];
    int flagged = 0;
    int confident = 0;
    int confidentCorrect = 0;
    for (int i = 0; i < test.length; i++) {
      int other = 1 - fold[i];
      score[i] = calibration(foldTemperature[other]).score(kind, test[i]);
      if (score[i] < foldThreshold[other]) {
        flagged++;
      } else {
        confident++;
        confidentCorrect += correct[i] ? 1 : 0;
      }
    }
    List<Double> allCorrect = new ArrayList<>();
    for (int i = 0; i < test.length; i++) {
      if (correct[i]) {
        allCorrect.add(calibration(temperature).score(kind, test[i]));
      }
    }
    double threshold = threshold(allCorrect);

    Double oodAuroc = null;
    Double oodFlagged = null;
    if (outOfDistribution.length > 0) {
      double[] inside = new double[test.length];
      for (int i = 0; i < test.length; i++) {
        inside[i] = calibration(temperature).score(kind, test[i]);
      }
      double[] outside = new double[outOfDistribution.length];
      int outsideFlagged = 0;
      for (int i = 0; i < outside.length; i++) {
        outside[i] = calibration(temperature).score(kind, outOfDistribution[i]);
        outsideFlagged += outside[i] < threshold ? 1 : 0;
      }
      oodAuroc = auroc(inside, outside);
      oodFlagged = (double) outsideFlagged / outside.length;
    }
    List<double[]> wrongAndRight = split(score, correct);
    List<TrustReport.CurvePoint> curve = riskCoverage(score, correct);
    return new TrustReport.ScoreResult(
        kind.id(),
        threshold,
        List.of(foldThreshold[0], foldThreshold[1]),
        (double) flagged / test.length,
        confident == 0 ? 0 : (double) confidentCorrect / confident,
        auroc(wrongAndRight.get(1), wrongAndRight.get(0)),
        curve.stream().mapToDouble(TrustReport.CurvePoint::risk).average().orElse(0),
        oodAuroc,
        oodFlagged,
        curve);
  }

  /** With photographs, the score that separates them best; without, the one ranking errors best. */
  private static TrustReport.ScoreResult choose(
      List<TrustReport.ScoreResult> scores, boolean haveOutOfDistribution) {
    TrustReport.ScoreResult best = scores.get(0);
    for (TrustReport.ScoreResult s : scores) {
      double value =
          haveOutOfDistribution ? s.outOfDistributionAuroc() : s.misclassificationAuroc();
      double bestValue =
          haveOutOfDistribution ? best.outOfDistributionAuroc() : best.misclassificationAuroc();
      if (value > bestValue) {
        best = s;
      }
    }
    return best;
  }

  /** Two halves, alternating within each class in set order: 0 or 1 per picture. */
  static int[] halves(int[] labels) {
    int max = Arrays.stream(labels).max().orElse(0);
    int[] seen = new int[max + 1];
    int[] fold = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      fold[i] = seen[labels[i]]++ % 2;
    }
    return fold;
  }

  /** The score under which {@code 1 - KEEP_CORRECT} of the given scores fall. */
  static double threshold(List<Double> scoresOfCorrect) {
    if (scoresOfCorrect.isEmpty()) {
      return Double.NEGATIVE_INFINITY;
    }
    return scoreKeeping(
        scoresOfCorrect.stream().mapToDouble(Double::doubleValue).toArray(), KEEP_CORRECT);
  }

  /** The highest score that at least {@code share} of {@code scores} reach. */
  static double scoreKeeping(double[] scores, double share) {
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.floor((1 - share) * sorted.length)];
  }

  /** Probability that a random positive scores above a random negative (ties count half). */
  static double auroc(double[] positives, double[] negatives) {
    if (positives.length == 0 || negatives.length == 0) {
      return Double.NaN;
    }
    double[] neg = negatives.clone();
    Arrays.sort(neg);
    double wins = 0;
    for (double p : positives) {
      int below = lowerBound(neg, p);
      int notAbove = upperBound(neg, p);
      wins += below + (notAbove - below) / 2.0;
    }
    return wins / ((double) positives.length * neg.length);
  }

  /**
   * Error rate among the most confident pictures, as coverage grows from 1% to 100%: what a user
   * gets when everything under a threshold is answered "unsure".
   */
  static List<TrustReport.CurvePoint> riskCoverage(double[] score, boolean[] correct) {
    Integer[] order = new Integer[score.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
    List<TrustReport.CurvePoint> curve = new ArrayList<>();
    int errors = 0;
    int next = 1;
    for (int k = 0; k < order.length; k++) {
      errors += correct[order[k]] ? 0 : 1;
      double coverage = (k + 1.0) / order.length;
      if (coverage * CURVE_POINTS >= next || k == order.length - 1) {
        curve.add(new TrustReport.CurvePoint(coverage, (double) errors / (k + 1)));
        next++;
      }
    }
    return curve;
  }

  private static List<double[]> split(double[] score, boolean[] correct) {
    List<Double> wrong = new ArrayList<>();
    List<Double> right = new ArrayList<>();
    for (int i = 0; i < score.length; i++) {
      (correct[i] ? right : wrong).add(score[i]);
    }
    return List.of(
        wrong.stream().mapToDouble(Double::doubleValue).toArray(),
        right.stream().mapToDouble(Double::doubleValue).toArray());
  }

  private static int lowerBound(double[] sorted, double value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static int upperBound(double[] sorted, double value) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= value) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static Calibration calibration(double temperature) {
    return new Calibration(
        temperature, Calibration.Score.MAX_PROBABILITY, Double.NEGATIVE_INFINITY);
  }

  private static float[][] rows(float[][] all, int[] fold, int f) {
    return IntStream.range(0, all.length)
        .filter(i -> fold[i] == f)
        .mapToObj(i -> all[i])
        .toArray(float[][]::new);
  }

  private static int[] select(int[] all, int[] fold, int f) {
    return IntStream.range(0, all.length).filter(i -> fold[i] == f).map(i -> all[i]).toArray();
  }
}
