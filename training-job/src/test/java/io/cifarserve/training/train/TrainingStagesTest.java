package io.cifarserve.training.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TrainingStagesTest {

  @Test
  void theShippedModelsStagesAreReadBackFromItsMetrics() {
    JsonMapper json = JsonMapper.builder().build();

    var stages =
        TrainingStages.fromMetrics(json.readTree(Path.of("../models/metrics.json").toFile()), json);

    assertThat(stages).extracting(s -> s.history().size()).containsExactly(7, 14, 24, 12, 9, 3);
    assertThat(stages.get(4).options().averageFromEpoch()).isEqualTo(1);
    assertThat(stages.get(5).options().outliersPerBatch()).isEqualTo(64);
    assertThat(stages.get(5).history().get(0).epoch()).isEqualTo(1);
    // Figures the early stages did not record are read as not measured; the last stage has them.
    assertThat(stages.get(0).history().get(0).outlierLoss()).isNaN();
    assertThat(stages.get(0).history().get(0).cpuSeconds()).isNaN();
    assertThat(stages.get(5).history().get(2).outlierLoss()).isBetween(2.0, 3.0);
    assertThat(stages.get(5).cpuSeconds()).isPositive();
    assertThat(new TrainingStages(stages).epochs()).hasSize(69);
  }
}
