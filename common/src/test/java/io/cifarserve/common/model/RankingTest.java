package io.cifarserve.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RankingTest {

  @Test
  void ranksBestFirstAndBreaksTiesByIndex() {
    float[] scores = {0.1f, 0.4f, 0.05f, 0.4f, 0.05f};

    assertThat(Ranking.argmax(scores)).isEqualTo(1);
    assertThat(Ranking.topK(scores, 3)).containsExactly(1, 3, 0);
  }

  @Test
  void capsKAtTheNumberOfClasses() {
    assertThat(Ranking.topK(new float[] {2f, 1f}, 5)).containsExactly(0, 1);
  }

  @Test
  void refusesNonPositiveK() {
    assertThatThrownBy(() -> Ranking.topK(new float[] {1f}, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
