package io.cifarserve.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import io.cifarserve.training.data.CifarBinaryFormat;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.export.ModelCard;
import io.cifarserve.training.export.RunOutputs;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.model.TestTimeAugmentation;
import io.cifarserve.training.testing.SyntheticCifar;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** A NaN anywhere in training stops the run where it appeared, and nothing is exported. */
class NumericGuardTest {

  @TempDir static Path work;
  static CifarSplit data;
  private static final TrainingOptions OPTIONS =
      new TrainingOptions(
          Stem.IMAGENET, 4, 2, 25, 0.05, "one-cycle", 0.9, true, 5e-4, 0.1, 0.0, true, 11, 0);
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @BeforeAll
  static void data() throws Exception {
    data = CifarBinaryFormat.read(SyntheticCifar.write(work.resolve("data"), 20));
  }

  private static ResNet18 networkWithOneNan(NDManager manager) {
    Engine.getInstance().setRandomSeed(11);
    ResNet18 net = new ResNet18(new ResNet18.Architecture(Stem.IMAGENET, 4, 10));
    net.initialize(manager, 32);
    net.parameters()
        .get("layer2.0.conv1.weight")
        .getArray()
        .set(new NDIndex(0, 0, 0, 0), Float.NaN);
    return net;
  }

  @Test
  void anInjectedNanStopsTrainingAtTheFirstBatchAndWritesNoCheckpoint() {
    Path runDir = work.resolve("nan");
    try (NDManager manager = NDManager.newBaseManager()) {
      TrainingLoop loop =
          new TrainingLoop(
              networkWithOneNan(manager),
              manager,
              OPTIONS,
              List.of(),
              new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD),
              new Checkpoint(runDir, JSON),
              QUIET);

      assertThatThrownBy(() -> loop.run(data.train(), data.test(), false))
          .isInstanceOf(NonFiniteException.class)
          .hasMessageContaining("epoch 1, batch 1 of 4")
          .hasMessageContaining("the loss is NaN")
          .hasMessageContaining("Nothing was exported");
    }
    assertThat(new Checkpoint(runDir, JSON).exists()).isFalse();
  }

  @Test
  void exportRefusesANetworkWithNonFiniteWeights() {
    Path runDir = work.resolve("export-nan");
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = networkWithOneNan(manager);
      RunOutputs outputs = new RunOutputs(JSON, QUIET, TestTimeAugmentation.NONE, null);
      TrainingStages stages =
          TrainingStages.of(
              List.of(),
              new TrainingStage(
                  OPTIONS, List.of(new EpochMetrics(1, 2.0, 0.2, 2.1, 0.2, 0.05, 100, 2))));

      assertThatThrownBy(
              () ->
                  outputs.write(
                      net,
                      manager,
                      stages,
                      data.test(),
                      new RunOutputs.Identity("m", "1", "synthetic"),
                      new ModelCard.RunFacts("cpu", net.trainableParameterCount()),
                      runDir))
          .isInstanceOf(NonFiniteException.class)
          .hasMessageContaining("refusing to export: layer2.0.conv1.weight holds NaN");
    }
    assertThat(Files.exists(runDir.resolve(RunOutputs.MODEL_FILE))).isFalse();
  }

  @Test
  void exportRefusesARunWhoseHistoryHasANonFiniteLoss() {
    List<EpochMetrics> history =
        List.of(
            new EpochMetrics(1, 2.0, 0.2, 2.1, 0.2, 0.05, 100, 2),
            new EpochMetrics(2, Double.NaN, 0.1, Double.NaN, 0.1, 0.05, 100, 2));

    assertThatThrownBy(() -> NumericGuard.requireFiniteHistory(history, "refusing to export"))
        .isInstanceOf(NonFiniteException.class)
        .hasMessageContaining("epoch 2 recorded a non-finite loss");
    // No validation split records NaN for both validation figures: that is not a fault.
    NumericGuard.requireFiniteHistory(
        List.of(new EpochMetrics(1, 2.0, 0.2, Double.NaN, Double.NaN, 0.05, 100, 2)), "export");
  }
}
