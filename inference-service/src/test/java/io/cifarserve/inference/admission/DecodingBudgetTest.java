package io.cifarserve.inference.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cifarserve.classifier.image.PixelBudget;
import io.cifarserve.inference.problem.OverloadedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class DecodingBudgetTest {

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final DecodingBudget budget =
      new DecodingBudget(
          new AdmissionProperties(
              16, 2, Duration.ofMillis(50), DataSize.ofMegabytes(1), 10_000_000),
          meters);

  @Test
  void picturesShareTheBudgetAndOneThatDoesNotFitInTimeGets503() {
    try (PixelBudget.Hold first = budget.reserve("png", 6_000_000)) {
      assertThat(budget.inUse()).isEqualTo(6_000_000);
      try (PixelBudget.Hold second = budget.reserve("png", 4_000_000)) {
        assertThatThrownBy(() -> budget.reserve("png", 1))
            .isInstanceOf(OverloadedException.class)
            .hasMessageContaining("inference.admission.decode-pixels");
      }
      assertThat(budget.reserve("png", 4_000_000)).isNotNull();
    }
  }

  @Test
  void countsEachPicturesSizeByFormat() {
    budget.reserve("png", 1_000).close();
    budget.reserve("jpeg", 12_000_000).close();

    assertThat(meters.get("inference.input.pixels").tag("format", "jpeg").summary().totalAmount())
        .isEqualTo(12_000_000);
    assertThat(meters.get("inference.input.pixels").tag("format", "png").summary().count())
        .isEqualTo(1);
  }

  @Test
  void aPictureLargerThanTheWholeBudgetStillDecodesAlone() {
    try (PixelBudget.Hold huge = budget.reserve("png", 50_000_000)) {
      assertThat(budget.inUse()).isEqualTo(10_000_000);
    }
    assertThat(budget.inUse()).isZero();
  }
}
