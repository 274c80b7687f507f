package io.cifarserve.training.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.testing.TestImages;
import io.cifarserve.training.data.CifarBinaryFormat;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.data.OutlierImages;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.testing.SyntheticCifar;
import java.awt.Color;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * Outlier exposure: the network learns to spread its answer over the classes on pictures unlike any
 * class (two-colour pictures, where every class is one colour), and a run with outliers resumes
 * exactly like any run.
 */
class OutlierExposureTest {

  private static final ImagePreprocessor PREPROCESSOR =
      new ImagePreprocessor(32, Cifar10.MEAN, Cifar10.STD);

  private static final int EPOCHS = 8;

  @TempDir static Path work;
  static CifarSplit data;
  static OutlierImages outliers;

  @BeforeAll
  static void data() throws Exception {
    data = CifarBinaryFormat.read(SyntheticCifar.write(work.resolve("data"), 40));
    Path pictures = Files.createDirectories(work.resolve("outliers"));
    Color[] colours = {Color.RED, Color.BLUE, Color.GREEN, Color.YELLOW, Color.MAGENTA};
    for (int i = 0; i < colours.length; i++) {
      Color other = colours[(i + 2) % colours.length];
      Files.write(
          pictures.resolve(i + ".png"),
          TestImages.png(TestImages.halves(200, 160, colours[i], other)));
    }
    outliers = OutlierImages.load(pictures);
  }

  private static TrainingOptions options(int outliersPerBatch) {
    return options(outliersPerBatch, 0);
  }

  private static TrainingOptions options(int outliersPerBatch, double syntheticShare) {
    return new TrainingOptions(
        Stem.IMAGENET,
        4,
        EPOCHS,
        25,
        0.05,
        "one-cycle",
        0.9,
        true,
        5e-4,
        0.1,
        0.0,
        true,
        11,
        0,
        outliersPerBatch,
        outliersPerBatch > 0 ? 0.5 : 0,
        syntheticShare);
  }

  private record Outcome(List<EpochMetrics> history, double meanTopProbabilityOnOutliers) {}

  private static Outcome train(Path runDir, TrainingOptions options, boolean resume, int stop) {
    Engine.getInstance().setRandomSeed((int) options.seed());
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(options.stem(), options.width(), 10));
      net.initialize(manager, 32);
      List<EpochMetrics> history =
          new TrainingLoop(
                  net,
                  manager,
                  options,
                  List.of(),
                  PREPROCESSOR,
                  new Checkpoint(runDir, JsonMapper.builder().build()),
                  new PrintStream(PrintStream.nullOutputStream()),
                  options.exposesOutliers() ? Optional.of(outliers) : Optional.empty())
              .run(data.train(), data.test(), resume, stop);
      return new Outcome(
          history, meanTopProbability(new NetworkRunner(net, manager, PREPROCESSOR)));
    }
  }

  /** Mean top softmax probability over 64 fresh crops of the outlier pictures. */
  private static double meanTopProbability(NetworkRunner runner) {
    int n = 64;
    float[] batch = new float[n * PREPROCESSOR.imageLength()];
    Random random = new Random(99);
    for (int i = 0; i < n; i++) {
      outliers.writeCrop(PREPROCESSOR, random, batch, i * PREPROCESSOR.imageLength());
    }
    double sum = 0;
    for (float[] logits : runner.logits(batch, n)) {
      double max = Double.NEGATIVE_INFINITY;
      for (float l : logits) {
        max = Math.max(max, l);
      }
      double total = 0;
      for (float l : logits) {
        total += Math.exp(l - max);
      }
      sum += 1 / total;
    }
    return sum / n;
  }

  @Test
  void outlierCropsEndLessConfidentThanWithoutExposureWhileTheClassesAreStillLearnt() {
    Outcome plain = train(work.resolve("plain"), options(0), false, EPOCHS);
    Outcome exposed = train(work.resolve("exposed"), options(16), false, EPOCHS);

    assertThat(exposed.history()).allSatisfy(m -> assertThat(m.outlierLoss()).isFinite());
    assertThat(plain.history()).allSatisfy(m -> assertThat(m.outlierLoss()).isNaN());
    // On 40 pictures a class, the classes are still learnt (0.9 here against 0.975 without).
    assertThat(exposed.history().get(EPOCHS - 1).validationAccuracy()).isGreaterThan(0.8);
    // Top probability on outlier crops 0.24 here, against 0.78 without exposure.
    assertThat(exposed.meanTopProbabilityOnOutliers())
        .isLessThan(plain.meanTopProbabilityOnOutliers() - 0.1);
  }

  @Test
  void aRunWithRealAndSyntheticOutliersResumesExactlyWhereItStopped() {
    List<EpochMetrics> whole = train(work.resolve("whole"), options(16, 0.5), false, 2).history();

    train(work.resolve("split"), options(16, 0.5), false, 1);
    List<EpochMetrics> resumed = train(work.resolve("split"), options(16, 0.5), true, 2).history();

    assertThat(resumed.stream().mapToDouble(EpochMetrics::trainLoss).toArray())
        .containsExactly(whole.stream().mapToDouble(EpochMetrics::trainLoss).toArray());
    assertThat(resumed.stream().mapToDouble(EpochMetrics::outlierLoss).toArray())
        .containsExactly(whole.stream().mapToDouble(EpochMetrics::outlierLoss).toArray());
  }

  @Test
  void optionsAndPicturesComeTogether() {
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(Stem.IMAGENET, 4, 10));
      net.initialize(manager, 32);

      assertThatThrownBy(
              () ->
                  new TrainingLoop(
                      net,
                      manager,
                      options(16),
                      List.of(),
                      PREPROCESSOR,
                      new Checkpoint(work.resolve("none"), JsonMapper.builder().build()),
                      new PrintStream(PrintStream.nullOutputStream()),
                      Optional.empty()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("outlier exposure needs both");
    }
  }
}
