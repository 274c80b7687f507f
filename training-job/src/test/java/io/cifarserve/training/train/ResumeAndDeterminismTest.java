package io.cifarserve.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import io.cifarserve.training.data.CifarBinaryFormat;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.testing.SyntheticCifar;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

class ResumeAndDeterminismTest {

  @TempDir static Path work;
  static CifarSplit data;
  private static final TrainingOptions OPTIONS =
      new TrainingOptions(
          Stem.IMAGENET, 4, 3, 25, 0.05, "one-cycle", 0.9, true, 5e-4, 0.1, 0.0, true, 11, 0);

  @Test
  void warmRestartsDrawNewEpochsWhileFirstStagesKeepTheirs() {
    // Checkpoints written before stages existed must resume with the draws they began with.
    assertThat(TrainingLoop.epochRandom(11, 0, 3).nextLong())
        .isEqualTo(new Random(11 * 1_000_003L + 3).nextLong());
    assertThat(TrainingLoop.epochRandom(11, 1, 3).nextLong())
        .isNotEqualTo(TrainingLoop.epochRandom(11, 0, 3).nextLong())
        .isNotEqualTo(TrainingLoop.epochRandom(11, 2, 3).nextLong());
  }

  @BeforeAll
  static void data() throws Exception {
    data = CifarBinaryFormat.read(SyntheticCifar.write(work.resolve("data"), 20));
  }

  private static List<EpochMetrics> train(Path runDir, boolean resume, int stopAfter) {
    return train(runDir, resume, stopAfter, OPTIONS);
  }

  private static List<EpochMetrics> train(
      Path runDir, boolean resume, int stopAfter, TrainingOptions options) {
    return trainAndKeepWeights(runDir, resume, stopAfter, options).history();
  }

  /** What a training process ended with: its history and the network's weights by name. */
  private record Outcome(List<EpochMetrics> history, Map<String, float[]> weights) {}

  private static Outcome trainAndKeepWeights(
      Path runDir, boolean resume, int stopAfter, TrainingOptions options) {
    Engine.getInstance().setRandomSeed((int) options.seed());
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = network(options, manager);
      List<EpochMetrics> history =
          new TrainingLoop(
                  net,
                  manager,
                  options,
                  List.of(),
                  new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD),
                  new Checkpoint(runDir, JsonMapper.builder().build()),
                  new PrintStream(PrintStream.nullOutputStream()))
              .run(data.train(), data.test(), resume, stopAfter);
      return new Outcome(history, weights(net));
    }
  }

  private static ResNet18 network(TrainingOptions options, NDManager manager) {
    ResNet18 net = new ResNet18(new ResNet18.Architecture(options.stem(), options.width(), 10));
    net.initialize(manager, 32);
    return net;
  }

  /** The last trained weights in a run's checkpoint. */
  private static Map<String, float[]> checkpointWeights(Path runDir, TrainingOptions options) {
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = network(options, manager);
      new Checkpoint(runDir, JsonMapper.builder().build()).restore(net, manager);
      return weights(net);
    }
  }

  private static Map<String, float[]> weights(ResNet18 net) {
    Map<String, float[]> weights = new LinkedHashMap<>();
    net.parameters().forEach((name, p) -> weights.put(name, p.getArray().toFloatArray()));
    return weights;
  }

  private static double[] losses(List<EpochMetrics> history) {
    return history.stream().mapToDouble(EpochMetrics::trainLoss).toArray();
  }

  @Test
  void theSameSeedGivesTheSameLossCurve() {
    List<EpochMetrics> first = train(work.resolve("a"), false, 3);
    List<EpochMetrics> second = train(work.resolve("b"), false, 3);

    assertThat(first).hasSize(3);
    assertThat(losses(second)).containsExactly(losses(first));
  }

  @Test
  void aResumedRunContinuesExactlyWhereItStopped() {
    List<EpochMetrics> uninterrupted = train(work.resolve("whole"), false, 3);

    List<EpochMetrics> partial = train(work.resolve("split"), false, 1);
    List<EpochMetrics> resumed = train(work.resolve("split"), true, 3);

    assertThat(partial).hasSize(1);
    assertThat(resumed).hasSize(3);
    assertThat(losses(resumed)).containsExactly(losses(uninterrupted));
    assertThat(resumed.get(2).validationAccuracy())
        .isEqualTo(uninterrupted.get(2).validationAccuracy());
  }

  @Test
  void anAveragingRunEndsWithTheMeanOfItsAveragedEpochsAndResumesWithoutLosingIt() {
    TrainingOptions averaging =
        new TrainingOptions(
            Stem.IMAGENET, 4, 3, 25, 0.05, "constant", 0.9, true, 5e-4, 0.1, 0.0, true, 11, 2);
    Map<String, float[]> uninterrupted =
        trainAndKeepWeights(work.resolve("swa-whole"), false, 3, averaging).weights();

    trainAndKeepWeights(work.resolve("swa-split"), false, 2, averaging);
    Map<String, float[]> afterEpoch2 = checkpointWeights(work.resolve("swa-split"), averaging);
    Map<String, float[]> resumed =
        trainAndKeepWeights(work.resolve("swa-split"), true, 3, averaging).weights();
    Map<String, float[]> afterEpoch3 = checkpointWeights(work.resolve("swa-split"), averaging);

    for (String name : List.of("conv1.weight", "layer2.1.bn2.weight", "fc.weight", "fc.bias")) {
      float[] mean = new float[resumed.get(name).length];
      for (int i = 0; i < mean.length; i++) {
        mean[i] = (afterEpoch2.get(name)[i] + afterEpoch3.get(name)[i]) / 2;
      }
      assertThat(afterEpoch3.get(name)).as(name).isNotEqualTo(afterEpoch2.get(name));
      assertThat(resumed.get(name)).as(name).containsExactly(mean, within(1e-6f));
      assertThat(uninterrupted.get(name)).as(name).containsExactly(resumed.get(name));
    }
    // Batch-norm statistics are measured for the mean weights, not taken from a snapshot.
    assertThat(resumed.get("bn1.running_mean"))
        .isNotEqualTo(afterEpoch3.get("bn1.running_mean"))
        .containsExactly(uninterrupted.get("bn1.running_mean"));
  }

  @Test
  void refusesToResumeWithOtherOptions() {
    train(work.resolve("other"), false, 1);
    TrainingOptions changed =
        new TrainingOptions(
            Stem.IMAGENET, 4, 3, 25, 0.2, "one-cycle", 0.9, true, 5e-4, 0.1, 0.0, true, 11, 0);

    assertThatThrownBy(() -> train(work.resolve("other"), true, 3, changed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("other options");
  }
}
