package io.cifarserve.training.calibrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cifarserve.common.model.Calibration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutlierEvaluationTest {

  /** Logits whose top probability at temperature 1 grows with {@code peak}. */
  private static float[] peaked(float peak) {
    float[] logits = new float[10];
    logits[3] = peak;
    return logits;
  }

  private static float[][] peaks(float... values) {
    float[][] rows = new float[values.length][];
    for (int i = 0; i < values.length; i++) {
      rows[i] = peaked(values[i]);
    }
    return rows;
  }

  @Test
  void eachSourceGetsItsShareUnsureItsAurocAndItsFalsePositivesAtTheUsualCut() {
    // 20 test pictures, peaks 2.5..7.25: the score 95% of them reach is the second lowest.
    float[] testPeaks = new float[20];
    for (int i = 0; i < 20; i++) {
      testPeaks[i] = 2.5f + 0.25f * i;
    }
    Calibration shipped =
        new Calibration(
            1,
            Calibration.Score.MAX_PROBABILITY,
            new Calibration(1, Calibration.Score.MAX_PROBABILITY, 0).score(peaked(4)));
    List<OutlierEvaluation.Source> sources =
        List.of(
            new OutlierEvaluation.Source("flat", "evaluation", peaks(0, 0.25f, 0.5f, 0.75f)),
            new OutlierEvaluation.Source("mixed", "independent", peaks(0, 3.5f, 10, 12)));

    OutlierEvaluation.Report report =
        OutlierEvaluation.evaluate(shipped, peaks(testPeaks), sources);

    OutlierEvaluation.SourceResult flat = report.sources().get(0);
    assertThat(flat.pictures()).isEqualTo(4);
    assertThat(flat.flagged()).isEqualTo(1.0);
    assertThat(flat.auroc()).isEqualTo(1.0);
    assertThat(flat.fprAt95Tpr()).isZero();
    OutlierEvaluation.SourceResult mixed = report.sources().get(1);
    assertThat(mixed.role()).isEqualTo("independent");
    assertThat(mixed.flagged()).isEqualTo(0.5); // peaks 0 and 3.5 are under the threshold (4)
    assertThat(mixed.fprAt95Tpr()).isEqualTo(0.75); // 3.5, 10 and 12 reach peak 2.75
    // Test peaks above 0: all 20; above 3.5: 15, and one tie counting half; above 10, 12: none.
    assertThat(mixed.auroc()).isCloseTo((20 + 15.5) / 80.0, within(1e-12));
    assertThat(report.all().pictures()).isEqualTo(8);
    assertThat(report.all().flagged()).isEqualTo(0.75);
    assertThat(report.asModelMetrics())
        .containsEntry("ood.flat.flagged", 1.0)
        .containsEntry("ood.all.pictures", 8.0)
        .containsKey("ood.mixed.fpr95");
  }

  @Test
  void theCardSectionListsEverySourceAndIsReplacedWhenAppliedAgain() {
    OutlierEvaluation.Report report =
        new OutlierEvaluation.Report(
            List.of(
                new OutlierEvaluation.SourceResult(
                    "gnome-backgrounds", "independent", 12, 0.9, 0.97, 0.05)),
            new OutlierEvaluation.SourceResult("all", "all", 12, 0.9, 0.97, 0.05));
    String card = "# Card\n\n## Test results\n\nfine\n\n## Limitations\n\n- some\n";

    String once = OutlierCard.apply(card, report, "a test set");
    String twice = OutlierCard.apply(once, report, "a test set");

    assertThat(once)
        .contains("| gnome-backgrounds | independent | 12 | 90.0% | 0.970 | 5.0% |")
        .contains("| **all** |  | 12 | 90.0% | 0.970 | 5.0% |");
    assertThat(once.indexOf(OutlierCard.HEADING)).isLessThan(once.indexOf("## Limitations"));
    assertThat(twice).isEqualTo(once);
  }

  @Test
  void aManifestGroupsPicturesByPackageWithTheirRole(@TempDir Path dir) throws Exception {
    Files.writeString(
        dir.resolve("manifest.tsv"),
        "file\tpackage\tversion\trole\tlicence\toriginal_path\n"
            + "a_1.jpg\ta\t1\tevaluation\tCC0\t/x\n"
            + "b_1.jpg\tb\t2\tindependent\tCC0\t/y\n"
            + "a_2.jpg\ta\t1\tevaluation\tCC0\t/z\n");

    PictureSet set = PictureSet.read(dir);

    assertThat(set.groups()).extracting(PictureSet.Group::source).containsExactly("a", "b");
    assertThat(set.groups().get(0).files())
        .containsExactly(dir.resolve("a_1.jpg"), dir.resolve("a_2.jpg"));
    assertThat(set.groups().get(1).role()).isEqualTo("independent");
  }
}
