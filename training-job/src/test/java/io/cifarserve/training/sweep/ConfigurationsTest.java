package io.cifarserve.training.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigurationsTest {

  @TempDir Path dir;

  private SweepSpec spec(String yaml) throws Exception {
    return SweepSpec.read(Files.writeString(dir.resolve("sweep.yaml"), yaml));
  }

  @Test
  void aGridIsEveryCombinationTheLastParameterFastest() throws Exception {
    List<Configuration> all =
        Configurations.of(
            spec(
                """
                search: grid
                base: {epochs: 2}
                parameters:
                  lr: [0.1, 0.05]
                  weight-decay: [5e-4, 1e-3, 0]
                  augment: [true, false]
                """));
    assertThat(all).hasSize(12);
    assertThat(all.get(0).values())
        .isEqualTo(Map.of("lr", 0.1, "weight-decay", 5e-4, "augment", true));
    assertThat(all.get(1).values()).containsEntry("augment", false);
    assertThat(all.get(11).name()).isEqualTo("config-011");
    assertThat(all.get(1).trainArguments(Map.of("epochs", 2), Path.of("out/config-001")))
        .containsExactly(
            "train",
            "--epochs",
            "2",
            "--lr",
            "0.1",
            "--weight-decay",
            "5.0E-4",
            "--no-augment",
            "--run-dir",
            Path.of("out/config-001").toString());
  }

  @Test
  void eachTaskTakesEveryCountthConfigurationAndTogetherTheyTakeAllOnce() throws Exception {
    List<Configuration> all =
        Configurations.of(spec("search: grid\nparameters: {lr: [1, 2, 3, 4, 5, 6, 7]}\n"));
    assertThat(Configurations.share(all, 1, 3))
        .extracting(Configuration::index)
        .containsExactly(1, 4);
    assertThat(Configurations.share(all, 0, 3))
        .extracting(Configuration::index)
        .containsExactly(0, 3, 6);
    assertThat(Configurations.share(all, 2, 3))
        .extracting(Configuration::index)
        .containsExactly(2, 5);
    assertThat(Configurations.share(all, 0, 1)).hasSize(7);
    assertThat(Configurations.share(all, 9, 10)).isEmpty();
    assertThatThrownBy(() -> Configurations.share(all, 3, 3))
        .hasMessageContaining("0 to count - 1");
  }

  @Test
  void aRandomSearchDrawsTheSameConfigurationsInEveryTask() throws Exception {
    String yaml =
        """
        search: random
        trials: 20
        seed: 5
        parameters:
          lr: {min: 0.001, max: 0.3, scale: log}
          label-smoothing: {min: 0.0, max: 0.2}
          width: {min: 16, max: 64}
          schedule: [one-cycle, cosine]
        """;
    List<Configuration> first = Configurations.of(spec(yaml));
    List<Configuration> again = Configurations.of(spec(yaml));
    assertThat(first).isEqualTo(again).hasSize(20);
    assertThat(first)
        .allSatisfy(
            c -> {
              assertThat((double) c.values().get("lr")).isBetween(0.001, 0.3);
              assertThat((double) c.values().get("label-smoothing")).isBetween(0.0, 0.2);
              assertThat((int) c.values().get("width")).isBetween(16, 64);
              assertThat(c.values().get("schedule")).isIn("one-cycle", "cosine");
            });
    assertThat(first.stream().map(c -> c.values().get("lr")).distinct()).hasSize(20);
  }

  @Test
  void theDocumentedExampleIsAValidSweepOfSixConfigurations() {
    SweepSpec example = SweepSpec.read(Path.of("../sweeps/example.yaml"));
    List<Configuration> all = Configurations.of(example);
    assertThat(all).hasSize(6);
    assertThat(all.get(5).trainArguments(example.base(), Path.of("x")))
        .contains("--download", "--flip-averaging", "--lr", "0.2", "--weight-decay", "0.001");
  }

  @Test
  void refusesWhatTheSweepSetsItselfAndAChoiceWithoutValidation() {
    assertThatThrownBy(() -> spec("search: grid\nbase: {run-dir: x}\nparameters: {lr: [1]}\n"))
        .hasMessageContaining("'run-dir' is set by the sweep itself");
    assertThatThrownBy(() -> spec("search: grid\nparameters: {publish-to: [x]}\n"))
        .hasMessageContaining("'publish-to' is set by the sweep itself");
    assertThatThrownBy(
            () -> spec("search: grid\nbase: {validation-fraction: 0}\nparameters: {lr: [1]}\n"))
        .hasMessageContaining("validation-fraction cannot be 0");
    assertThatThrownBy(() -> spec("search: bayes\nparameters: {lr: [1]}\n"))
        .hasMessageContaining("grid or random");
    assertThatThrownBy(() -> spec("search: random\nparameters: {lr: [1]}\n"))
        .hasMessageContaining("trials");
    assertThatThrownBy(() -> spec("search: grid\nparameter: {lr: [1]}\n"))
        .hasMessageContaining("parameter");
  }
}
