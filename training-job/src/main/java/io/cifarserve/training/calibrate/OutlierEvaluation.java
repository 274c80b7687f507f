package io.cifarserve.training.calibrate;

import io.cifarserve.common.model.Calibration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the shipped unsure answer does on an evaluation set of pictures of other things, source by
 * source. Nothing is chosen here: the calibration is fixed before, on other data, so these figures
 * are estimates for pictures like these.
 */
public final class OutlierEvaluation {

  /** Share of test pictures kept in-distribution for the FPR figure (the usual 95% TPR). */
  static final double TRUE_POSITIVE_RATE = 0.95;

  private OutlierEvaluation() {}

  /**
   * One source's figures.
   *
   * @param source where the pictures came from (a Debian package, or "all")
   * @param role the source's role in the set ({@code evaluation}, or {@code independent} for
   *     sources reserved for independent checks)
   * @param flagged share answered unsure under the shipped calibration
   * @param auroc how well the shipped score ranks test pictures above these (1: always)
   * @param fprAt95Tpr share of these still above the score that keeps 95% of all test pictures
   */
  public record SourceResult(
      String source, String role, int pictures, double flagged, double auroc, double fprAt95Tpr) {}

  /** Per source, in the order given, then all of them together. */
  public record Report(List<SourceResult> sources, SourceResult all) {

    /** The figures stored in the model's metadata: {@code ood.<source>.<figure>}. */
    public Map<String, Double> asModelMetrics() {
      Map<String, Double> metrics = new LinkedHashMap<>();
      List<SourceResult> rows = new ArrayList<>(sources);
      rows.add(all);
      for (SourceResult s : rows) {
        String prefix = "ood." + s.source() + ".";
        metrics.put(prefix + "pictures", (double) s.pictures());
        metrics.put(prefix + "flagged", s.flagged());
        metrics.put(prefix + "auroc", s.auroc());
        metrics.put(prefix + "fpr95", s.fprAt95Tpr());
      }
      return metrics;
    }
  }

  /** Pictures of one source with their logits. */
  public record Source(String name, String role, float[][] logits) {}

  public static Report evaluate(Calibration shipped, float[][] testLogits, List<Source> sources) {
    double[] inside = scores(shipped, testLogits);
    double cut = TrustAnalysis.scoreKeeping(inside, TRUE_POSITIVE_RATE);
    List<SourceResult> results = new ArrayList<>();
    List<float[]> all = new ArrayList<>();
    for (Source source : sources) {
      results.add(result(source.name(), source.role(), shipped, inside, cut, source.logits()));
      all.addAll(List.of(source.logits()));
    }
    float[][] pooled = all.toArray(new float[0][]);
    return new Report(results, result("all", "all", shipped, inside, cut, pooled));
  }

  private static SourceResult result(
      String name,
      String role,
      Calibration shipped,
      double[] inside,
      double cut,
      float[][] logits) {
    double[] outside = scores(shipped, logits);
    int flagged = 0;
    int passed = 0;
    for (double score : outside) {
      flagged += shipped.unsure(score) ? 1 : 0;
      passed += score >= cut ? 1 : 0;
    }
    int n = Math.max(1, outside.length);
    return new SourceResult(
        name,
        role,
        outside.length,
        (double) flagged / n,
        outside.length == 0 ? Double.NaN : TrustAnalysis.auroc(inside, outside),
        (double) passed / n);
  }

  private static double[] scores(Calibration calibration, float[][] logits) {
    double[] scores = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      scores[i] = calibration.score(logits[i]);
    }
    return scores;
  }
}
