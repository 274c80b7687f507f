package io.cifarserve.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.testing.TestMetadata;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationTest {

  private static final float[] LOGITS = {2f, 1f, 0f};

  @Test
  void temperatureSoftensOrSharpensWithoutChangingTheOrder() {
    float[] plain = Calibration.NONE.probabilities(LOGITS);
    float[] soft = new Calibration(2, Calibration.Score.MAX_PROBABILITY, 0.5).probabilities(LOGITS);
    float[] sharp =
        new Calibration(0.5, Calibration.Score.MAX_PROBABILITY, 0.5).probabilities(LOGITS);

    double sum = Math.exp(2) + Math.exp(1) + 1;
    assertThat(plain[0]).isCloseTo((float) (Math.exp(2) / sum), within(1e-6f));
    assertThat(soft[0]).isLessThan(plain[0]);
    assertThat(sharp[0]).isGreaterThan(plain[0]);
    assertThat(Ranking.argmax(soft)).isEqualTo(Ranking.argmax(sharp)).isZero();
    assertThat(soft[0] + soft[1] + soft[2]).isCloseTo(1f, within(1e-6f));
  }

  @Test
  void scoresAreTheTopProbabilityOrTheNegativeFreeEnergy() {
    Calibration calibration = new Calibration(2, Calibration.Score.ENERGY, 1);

    double logSumExp = Math.log(Math.exp(1) + Math.exp(0.5) + Math.exp(0));
    assertThat(calibration.score(LOGITS)).isCloseTo(2 * logSumExp, within(1e-9));
    assertThat(calibration.score(Calibration.Score.MAX_PROBABILITY, LOGITS))
        .isCloseTo(calibration.probabilities(LOGITS)[0], within(1e-6));
    // Energy keeps the logits' scale: the same shape, ten times larger, scores far higher.
    float[] larger = {20f, 10f, 0f};
    assertThat(calibration.score(larger)).isGreaterThan(calibration.score(LOGITS) + 10);
  }

  @Test
  void unsureBelowTheThresholdAndNeverWithoutOne() {
    Calibration calibration = new Calibration(1, Calibration.Score.MAX_PROBABILITY, 0.7);

    assertThat(calibration.unsure(0.69)).isTrue();
    assertThat(calibration.unsure(0.7)).isFalse();
    assertThat(Calibration.NONE.flagsUnsure()).isFalse();
    assertThat(Calibration.NONE.unsure(0.0)).isFalse();
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new Calibration(0, Calibration.Score.ENERGY, 1))
        .hasMessageContaining("temperature");
    assertThatThrownBy(() -> new Calibration(1, Calibration.Score.ENERGY, Double.NaN))
        .hasMessageContaining("threshold");
    assertThatThrownBy(() -> Calibration.Score.of("entropy")).hasMessageContaining("entropy");
  }

  @Test
  void travelsInTheMetadataAndOlderModelsStillLoad() {
    ModelMetadata plain = TestMetadata.colourClassifierMetadata("1", 32);
    Calibration calibration = new Calibration(1.5, Calibration.Score.ENERGY, 3.25);
    ModelMetadata calibrated =
        plain.withCalibration(calibration, plain.metrics(), plain.modelCard());

    assertThat(calibrated.toProperties())
        .containsEntry("calibration_temperature", "1.5")
        .containsEntry("unsure_score", "energy")
        .containsEntry("unsure_threshold", "3.25");
    assertThat(ModelMetadata.fromProperties(calibrated.toProperties()).calibration())
        .isEqualTo(calibration);
    // A model exported before calibration existed has none of the entries.
    assertThat(plain.toProperties()).doesNotContainKeys("calibration_temperature", "unsure_score");
    assertThat(ModelMetadata.fromProperties(plain.toProperties()).calibration())
        .isEqualTo(Calibration.NONE);
  }

  @Test
  void rankingReportsConfidenceAndUnsure() {
    ModelMetadata base = TestMetadata.colourClassifierMetadata("1", 32);
    ModelMetadata calibrated =
        base.withCalibration(
            new Calibration(1, Calibration.Score.MAX_PROBABILITY, 0.5), Map.of(), "");
    float[] flat = new float[10];
    float[] clear = new float[10];
    clear[3] = 10;

    PredictionResponse unsure = PredictionResponse.rank(flat, calibrated, 3, 0);
    PredictionResponse sure = PredictionResponse.rank(clear, calibrated, 3, 0);
    PredictionResponse uncalibrated = PredictionResponse.rank(flat, base, 3, 0);

    assertThat(unsure.unsure()).isTrue();
    assertThat(unsure.confidence().value()).isCloseTo(0.1, within(1e-6));
    assertThat(unsure.confidence().threshold()).isEqualTo(0.5);
    assertThat(sure.unsure()).isFalse();
    assertThat(sure.label()).isEqualTo("cat");
    assertThat(uncalibrated.unsure()).isFalse();
    assertThat(uncalibrated.confidence().threshold()).isNull();
  }
}
