package io.cifarserve.training.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cifarserve.common.model.Calibration;
import io.cifarserve.common.model.Ranking;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TrustAnalysisTest {

  private static final int CLASSES = 10;

  /**
   * Pictures whose true class is drawn from softmax(g), and a model that reports {@code 2 g}: twice
   * as confident as it should be, so the right temperature is 2.
   */
  private record Synthetic(float[][] logits, int[] labels) {

    static Synthetic overconfident(int n, long seed) {
      Random random = new Random(seed);
      float[][] logits = new float[n][CLASSES];
      int[] labels = new int[n];
      for (int i = 0; i < n; i++) {
        double[] g = new double[CLASSES];
        int centre = random.nextInt(CLASSES);
        for (int c = 0; c < CLASSES; c++) {
          g[c] = random.nextGaussian() + (c == centre ? 3 : 0);
        }
        labels[i] = sample(g, random);
        for (int c = 0; c < CLASSES; c++) {
          logits[i][c] = (float) (2 * g[c]);
        }
      }
      return new Synthetic(logits, labels);
    }

    private static int sample(double[] g, Random random) {
      double sum = Arrays.stream(g).map(Math::exp).sum();
      double u = random.nextDouble() * sum;
      for (int c = 0; c < g.length; c++) {
        u -= Math.exp(g[c]);
        if (u <= 0) {
          return c;
        }
      }
      return g.length - 1;
    }
  }

  @Test
  void recoversTheTemperatureAndLowersTheCalibrationError() {
    Synthetic data = Synthetic.overconfident(6000, 1);

    TrustReport report =
        TrustAnalysis.analyse(data.logits(), data.labels(), new float[0][], List.of());

    assertThat(report.temperature()).isCloseTo(2.0, within(0.15));
    assertThat(report.foldTemperatures())
        .allSatisfy(t -> assertThat(t).isCloseTo(2.0, within(0.2)));
    assertThat(report.after().ece()).isLessThan(report.before().ece() / 2);
    assertThat(report.after().nll()).isLessThan(report.before().nll());
    assertThat(report.shipped().temperature()).isEqualTo(report.temperature());
  }

  @Test
  void halvesSplitEveryClassEvenly() {
    int[] labels = {0, 0, 1, 1, 1, 0, 1, 2, 2, 0};

    int[] fold = TrustAnalysis.halves(labels);

    for (int c = 0; c <= 2; c++) {
      int first = 0;
      int total = 0;
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c) {
          total++;
          first += fold[i] == 0 ? 1 : 0;
        }
      }
      assertThat(first).isBetween(total / 2, (total + 1) / 2);
    }
  }

  @Test
  void thresholdKeepsTheChosenShareOfCorrectAnswersConfident() {
    Synthetic data = Synthetic.overconfident(4000, 2);

    TrustReport report =
        TrustAnalysis.analyse(data.logits(), data.labels(), new float[0][], List.of());

    Calibration shipped = report.shipped();
    int correct = 0;
    int kept = 0;
    for (int i = 0; i < data.labels().length; i++) {
      if (Ranking.argmax(data.logits()[i]) == data.labels()[i]) {
        correct++;
        kept += shipped.unsure(shipped.score(data.logits()[i])) ? 0 : 1;
      }
    }
    assertThat((double) kept / correct).isCloseTo(TrustAnalysis.KEEP_CORRECT, within(0.005));
    // Cross-fitted, the confident answers are more accurate than all answers.
    double accuracy = (double) correct / data.labels().length;
    assertThat(report.chosen().confidentAccuracy()).isGreaterThan(accuracy);
    assertThat(report.chosen().testFlagged()).isBetween(0.05, 0.6);
  }

  @Test
  void flatLogitsOfOtherPicturesAreFlaggedAndRankedBelow() {
    Synthetic data = Synthetic.overconfident(4000, 3);
    Random random = new Random(4);
    float[][] others = new float[500][CLASSES];
    for (float[] row : others) {
      for (int c = 0; c < CLASSES; c++) {
        row[c] = (float) (0.3 * random.nextGaussian());
      }
    }
    float[] flat = new float[CLASSES];

    TrustReport report =
        TrustAnalysis.analyse(
            data.logits(), data.labels(), others, List.of(new TrustAnalysis.Probe("flat", flat)));

    assertThat(report.outOfDistributionImages()).isEqualTo(500);
    assertThat(report.scores())
        .extracting(TrustReport.ScoreResult::score)
        .containsExactly("max_probability", "energy");
    assertThat(report.chosen().outOfDistributionAuroc()).isGreaterThan(0.95);
    assertThat(report.chosen().outOfDistributionFlagged()).isGreaterThan(0.9);
    assertThat(report.probes()).singleElement().satisfies(p -> assertThat(p.unsure()).isTrue());
    assertThat(report.asModelMetrics())
        .containsKeys(
            "calibration.ece_before",
            "calibration.after.bin.14.accuracy",
            "unsure.ood_auroc",
            "unsure.test_flagged");
  }

  @Test
  void aurocCountsTiesAsHalf() {
    assertThat(TrustAnalysis.auroc(new double[] {2, 3}, new double[] {1})).isEqualTo(1.0);
    assertThat(TrustAnalysis.auroc(new double[] {1}, new double[] {1})).isEqualTo(0.5);
    assertThat(TrustAnalysis.auroc(new double[] {0}, new double[] {1, 2})).isEqualTo(0.0);
  }

  @Test
  void riskCoverageEndsAtTheOverallErrorRate() {
    double[] score = {0.9, 0.8, 0.7, 0.6};
    boolean[] correct = {true, true, false, true};

    List<TrustReport.CurvePoint> curve = TrustAnalysis.riskCoverage(score, correct);

    assertThat(curve.get(0).risk()).isZero();
    assertThat(curve.get(curve.size() - 1).coverage()).isEqualTo(1.0);
    assertThat(curve.get(curve.size() - 1).risk()).isEqualTo(0.25);
  }

  @Test
  void cardSectionReplacesItselfAndTheOldLimitations() {
    Synthetic data = Synthetic.overconfident(2000, 5);
    TrustReport report =
        TrustAnalysis.analyse(data.logits(), data.labels(), new float[0][], List.of());
    String card =
        "# Model card\n\n## Summary\n\n- x\n\n## Limitations\n\n"
            + "- The model always answers with one of its 10 classes.\n"
            + "- It sees pictures at 32x32 pixels.\n"
            + "- Probabilities are softmax outputs, not calibrated confidences.\n";

    String once = TrustCard.apply(card, report, "none");
    String twice = TrustCard.apply(once, report, "none");

    assertThat(twice).isEqualTo(once);
    assertThat(once)
        .contains(TrustCard.HEADING)
        .contains("%.3f".formatted(report.temperature()))
        .contains("%.4f".formatted(report.shipped().threshold()))
        .contains("- It sees pictures at 32x32 pixels.")
        .doesNotContain("always answers")
        .doesNotContain("not calibrated confidences");
    assertThat(once.indexOf(TrustCard.HEADING)).isLessThan(once.indexOf("## Limitations"));
    List<String> headings = new ArrayList<>();
    once.lines().filter(l -> l.startsWith("## ")).forEach(headings::add);
    assertThat(headings).containsExactly("## Summary", TrustCard.HEADING, "## Limitations");
  }
}
