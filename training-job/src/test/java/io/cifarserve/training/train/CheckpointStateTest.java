package io.cifarserve.training.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.training.model.Stem;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CheckpointStateTest {

  private static final TrainingOptions OPTIONS =
      new TrainingOptions(
          Stem.CIFAR_STRIDE2, 64, 2, 128, 0.1, "one-cycle", 0.9, true, 5e-4, 0.1, 0.1, true, 42, 0);

  private static EpochMetrics epoch(int n, double seconds) {
    return new EpochMetrics(n, 1.0, 0.5, 1.1, 0.4, 0.01, 100, seconds);
  }

  @Test
  void readsACheckpointWrittenBeforeStagesWereRecorded() {
    JsonMapper json = JsonMapper.builder().build();
    String old =
        json.writeValueAsString(new CheckpointState(OPTIONS, 1, 352, List.of(epoch(1, 10)), null))
            .replace(",\"earlierStages\":[]", "");
    assertThat(old).doesNotContain("earlierStages");

    CheckpointState state = json.readValue(old, CheckpointState.class);

    assertThat(state.earlierStages()).isEmpty();
    assertThat(state.stages().stages())
        .containsExactly(new TrainingStage(OPTIONS, state.history()));
  }

  @Test
  void readsOptionsWrittenBeforeWeightAveragingExisted() {
    JsonMapper json = JsonMapper.builder().build();
    String old = json.writeValueAsString(OPTIONS).replace(",\"averageFromEpoch\":0", "");
    assertThat(old).doesNotContain("averageFromEpoch");

    TrainingOptions options = json.readValue(old, TrainingOptions.class);

    assertThat(options).isEqualTo(OPTIONS);
    assertThat(options.averagesWeights()).isFalse();
  }

  @Test
  void numbersEpochsOnAcrossStagesAndAddsUpTheirTime() {
    TrainingStage first = new TrainingStage(OPTIONS, List.of(epoch(1, 10), epoch(2, 30)));
    CheckpointState second =
        new CheckpointState(OPTIONS, 1, 352, List.of(epoch(1, 20)), List.of(first));

    TrainingStages stages = second.stages();

    assertThat(stages.epochs()).extracting(EpochMetrics::epoch).containsExactly(1, 2, 3);
    assertThat(stages.seconds()).isEqualTo(60);
    assertThat(stages.imagesPerSecond()).isEqualTo(100);
    assertThat(stages.last().history()).containsExactly(epoch(1, 20));
  }
}
