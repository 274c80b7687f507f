package io.cifarserve.training.export;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParityLimitTest {

  @Test
  void theLimitScalesWithLogitsLargerThanOne() {
    assertThat(new ParityCheck.Comparison(0, 0.5).limit()).isEqualTo(ParityCheck.TOLERANCE);
    assertThat(new ParityCheck.Comparison(0, 1e7).limit()).isEqualTo(1e3);
  }
}
