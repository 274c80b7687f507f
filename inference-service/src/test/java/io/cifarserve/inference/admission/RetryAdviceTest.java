package io.cifarserve.inference.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RetryAdviceTest {

  private final AtomicLong now = new AtomicLong();
  private final RetryAdvice advice = new RetryAdvice(now::get);

  /** One simulated second: {@code admitted} admissions and {@code refused} refusals. */
  private Duration second(int admitted, int refused) {
    Duration last = null;
    for (int i = 0; i < admitted; i++) {
      advice.admitted();
    }
    for (int i = 0; i < refused; i++) {
      last = advice.refused();
    }
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    return last;
  }

  @Test
  void aShortSpikeIsToldToComeBackInASecond() {
    assertThat(second(150, 20)).isEqualTo(Duration.ofSeconds(1));
    assertThat(second(150, 20)).isEqualTo(Duration.ofSeconds(1));
  }

  /**
   * 448 clients beyond the places, each retrying as told, against 160 admissions a second: the wait
   * grows until their retries are about a quarter of the admissions, capped at 10 s.
   */
  @Test
  void aLastingOverloadIsToldToWaitLongerUpToTheCap() {
    assertThat(waitAfterEightSeconds(448)).isEqualTo(RetryAdvice.LONGEST.toSeconds());
  }

  @Test
  void settlesBetweenTheBoundsForAModerateOverload() {
    // 64 clients beyond the places: a wait of 2 s keeps their 32 retries a second near 25% of 160.
    assertThat(waitAfterEightSeconds(64)).isEqualTo(2);
  }

  /**
   * {@code beyond} clients without a place, each retrying as told, against 160 admissions a second.
   */
  private long waitAfterEightSeconds(int beyond) {
    long wait = 1;
    for (int s = 0; s < 8; s++) {
      wait = second(160, (int) (beyond / wait)).toSeconds();
    }
    return wait;
  }

  @Test
  void goesBackToASecondWhenTheOverloadEnds() {
    for (int s = 0; s < 5; s++) {
      second(160, 400);
    }
    second(160, 0);
    assertThat(second(160, 1)).isEqualTo(Duration.ofSeconds(1));
  }
}
