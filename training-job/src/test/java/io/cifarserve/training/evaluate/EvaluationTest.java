package io.cifarserve.training.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {

  @Test
  void computesPerClassScoresFromTheConfusionMatrix() {
    // truth:     a a a b b c
    // predicted: a a b b c c
    int[] truth = {0, 0, 0, 1, 1, 2};
    int[] predicted = {0, 0, 1, 1, 2, 2};

    Evaluation e = Evaluation.of(truth, predicted, 0.5, List.of("a", "b", "c"));

    assertThat(e.accuracy()).isCloseTo(4 / 6.0, within(1e-9));
    assertThat(e.confusionMatrix()[0]).containsExactly(2, 1, 0);
    Evaluation.ClassScores b = e.perClass().get(1);
    assertThat(b.precision()).isCloseTo(0.5, within(1e-9));
    assertThat(b.recall()).isCloseTo(0.5, within(1e-9));
    Evaluation.ClassScores a = e.perClass().get(0);
    assertThat(a.precision()).isCloseTo(1.0, within(1e-9));
    assertThat(a.recall()).isCloseTo(2 / 3.0, within(1e-9));
    assertThat(a.f1()).isCloseTo(0.8, within(1e-9));
    double weightedRecall = (3 * (2 / 3.0) + 2 * 0.5 + 1 * 1.0) / 6;
    assertThat(e.weightedAverage().recall()).isCloseTo(weightedRecall, within(1e-9));
    assertThat(e.asModelMetrics())
        .containsEntry("recall.b", 0.5)
        .containsEntry("confusion.a.b", 1.0)
        .containsEntry("confusion.c.c", 1.0)
        .containsKey("weighted_f1");
  }

  @Test
  void drawsReadableCharts(@TempDir Path dir) throws Exception {
    Evaluation e = Evaluation.of(new int[] {0, 1}, new int[] {0, 0}, 1, List.of("a", "b"));
    Path matrix = dir.resolve("matrix.png");

    Charts.confusionMatrix(e, matrix);

    assertThat(ImageIO.read(matrix.toFile()).getWidth()).isGreaterThan(200);
  }
}
