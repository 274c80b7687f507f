package io.cifarserve.inference.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cifarserve.common.image.PixelBudget;
import io.cifarserve.inference.problem.OverloadedException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class DecodingBudgetTest {

  private final DecodingBudget budget =
      new DecodingBudget(
          new AdmissionProperties(
              16, 2, Duration.ofMillis(50), DataSize.ofMegabytes(1), 10_000_000));

  @Test
  void picturesShareTheBudgetAndOneThatDoesNotFitInTimeGets503() {
    try (PixelBudget.Hold first = budget.reserve(6_000_000)) {
      assertThat(budget.inUse()).isEqualTo(6_000_000);
      try (PixelBudget.Hold second = budget.reserve(4_000_000)) {
        assertThatThrownBy(() -> budget.reserve(1))
            .isInstanceOf(OverloadedException.class)
            .hasMessageContaining("inference.admission.decode-pixels");
      }
      assertThat(budget.reserve(4_000_000)).isNotNull();
    }
  }

  @Test
  void aPictureLargerThanTheWholeBudgetStillDecodesAlone() {
    try (PixelBudget.Hold huge = budget.reserve(50_000_000)) {
      assertThat(budget.inUse()).isEqualTo(10_000_000);
    }
    assertThat(budget.inUse()).isZero();
  }
}
