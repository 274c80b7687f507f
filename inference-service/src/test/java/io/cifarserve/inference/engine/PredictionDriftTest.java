package io.cifarserve.inference.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.cifarserve.common.model.Calibration;
import io.cifarserve.common.model.MetricKeys;
import io.cifarserve.common.model.ModelMetadata;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictionDriftTest {

  private static final List<String> LABELS = List.of("cat", "dog");

  private static ModelMetadata model(Map<String, Double> metrics) {
    return new ModelMetadata(
        "m",
        "1",
        "test",
        32,
        LABELS,
        List.of(0.5f, 0.5f, 0.5f),
        List.of(0.25f, 0.25f, 0.25f),
        "test pictures",
        metrics,
        Instant.EPOCH,
        "",
        Calibration.NONE);
  }

  @Test
  void expectsWhatTheModelPredictedOnItsTestSetNotTheTrueClasses() {
    Map<String, Double> confusion = new HashMap<>();
    confusion.put(MetricKeys.confusion("cat", "cat"), 40.0);
    confusion.put(MetricKeys.confusion("cat", "dog"), 10.0);
    confusion.put(MetricKeys.confusion("dog", "dog"), 50.0);

    assertThat(PredictionDrift.expectedShares(model(confusion))).containsExactly(0.4, 0.6);
    assertThat(PredictionDrift.expectedShares(model(Map.of()))).containsExactly(0.5, 0.5);
  }

  @Test
  void scoresNothingBeforeAHundredPredictionsThenTheShiftOfTheLastThousand() {
    PredictionDrift drift = new PredictionDrift(model(Map.of()));
    for (int i = 0; i < 99; i++) {
      drift.record(0);
    }
    assertThat(drift.score()).isNaN();

    for (int i = 0; i < 1000; i++) {
      drift.record(i % 2);
    }
    assertThat(drift.score()).isCloseTo(0, within(1e-9));

    for (int i = 0; i < 1000; i++) {
      drift.record(0);
    }
    // All "cat" against half and half: (1 - 0.5) ln(2) + (0.001 - 0.5) ln(0.002).
    assertThat(drift.score())
        .isCloseTo(0.5 * Math.log(2) + (0.001 - 0.5) * Math.log(0.002), within(1e-9));
  }
}
