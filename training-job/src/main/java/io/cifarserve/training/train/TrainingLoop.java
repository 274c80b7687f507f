package io.cifarserve.training.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.training.data.Augmentation;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.data.OutlierImages;
import io.cifarserve.training.data.SyntheticOutliers;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.numerics.NumericsReport;
import io.cifarserve.training.numerics.TrainingNumerics;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Mini-batch training with augmentation, label smoothing, SGD and a learning-rate schedule; checks
 * validation accuracy and writes a checkpoint after every epoch. With weight averaging, the network
 * ends with the mean of its weights over the averaged epochs, and batch-norm statistics measured
 * for that mean on one more augmented pass over the training images.
 *
 * <p>Everything random about an epoch (order, crops, flips) comes from a generator seeded with the
 * run's seed, its stage and the epoch number, so a resumed run continues exactly as an
 * uninterrupted one.
 *
 * <p>With outlier exposure (Hendrycks et al., 2019), each batch also carries random crops of
 * pictures of other things, and the loss adds their cross-entropy to the uniform distribution, so
 * the network learns to spread its answer on what is none of its classes. Their crops come from a
 * generator of their own, so the training images see the same crops and order as without them.
 * Batch normalisation trains on the mixed batches, and keeps statistics of such batches.
 */
public final class TrainingLoop {

  private static final Augmentation AUGMENTATION = new Augmentation(4);

  /** Mixed into an epoch's seed for the outlier crops' own generator. */
  private static final long OUTLIER_STREAM = 0x6f75746c69657273L;

  private final ResNet18 net;
  private final NDManager manager;
  private final TrainingOptions options;
  private final ImagePreprocessor preprocessor;
  private final Checkpoint checkpoint;
  private final PrintStream out;
  private final Sgd sgd;
  private final ParameterStore parameterStore;
  private final List<TrainingStage> earlierStages;
  private final Optional<WeightAverage> average;
  private final Optional<OutlierImages> outliers;
  private Consumer<EpochMetrics> epochListener = epoch -> {};

  /**
   * @param earlierStages the runs the network's initial weights came from, recorded in checkpoints
   */
  public TrainingLoop(
      ResNet18 net,
      NDManager manager,
      TrainingOptions options,
      List<TrainingStage> earlierStages,
      ImagePreprocessor preprocessor,
      Checkpoint checkpoint,
      PrintStream out) {
    this(net, manager, options, earlierStages, preprocessor, checkpoint, out, Optional.empty());
  }

  /**
   * @param outliers the pictures whose crops each batch carries when {@code options} expose
   *     outliers
   */
  public TrainingLoop(
      ResNet18 net,
      NDManager manager,
      TrainingOptions options,
      List<TrainingStage> earlierStages,
      ImagePreprocessor preprocessor,
      Checkpoint checkpoint,
      PrintStream out,
      Optional<OutlierImages> outliers) {
    if (options.exposesOutliers() != outliers.isPresent()) {
      throw new IllegalArgumentException(
          "outlier exposure needs both its options and its pictures");
    }
    this.outliers = outliers;
    this.net = net;
    this.earlierStages = List.copyOf(earlierStages);
    this.manager = manager;
    this.options = options;
    this.preprocessor = preprocessor;
    this.checkpoint = checkpoint;
    this.out = out;
    this.sgd =
        new Sgd(
            net.parameters(),
            manager,
            (float) options.momentum(),
            options.nesterov(),
            (float) options.weightDecay());
    this.parameterStore = new ParameterStore(manager, false);
    this.average =
        options.averagesWeights() ? Optional.of(new WeightAverage(net, manager)) : Optional.empty();
  }

  /** Hands each epoch's figures to {@code listener} once the epoch is checkpointed. */
  public void onEpoch(Consumer<EpochMetrics> listener) {
    this.epochListener = listener;
  }

  /**
   * Trains until {@code options.epochs()} epochs are done.
   *
   * @param resume continue from the checkpoint when there is one
   * @return one entry per epoch, including those done before a resume
   */
  public List<EpochMetrics> run(LabeledImages train, LabeledImages validation, boolean resume) {
    return run(train, validation, resume, options.epochs());
  }

  /**
   * Trains until epoch {@code stopAfterEpoch} (or the last) is done and checkpointed, so a long run
   * can be split over several processes with {@code resume}.
   */
  public List<EpochMetrics> run(
      LabeledImages train, LabeledImages validation, boolean resume, int stopAfterEpoch) {
    List<EpochMetrics> history = new ArrayList<>();
    int firstEpoch = 1;
    long step = 0;
    if (resume && checkpoint.exists()) {
      CheckpointState state = checkpoint.restore(net, Optional.of(sgd), average, manager);
      if (!state.options().equals(options)) {
        throw new IllegalStateException(
            "the checkpoint was made with other options; resume with the same ones:\n  "
                + state.options());
      }
      history.addAll(state.history());
      firstEpoch = state.epochsDone() + 1;
      step = state.step();
      average.ifPresent(
          a -> a.restored(Math.max(0, state.epochsDone() - options.averageFromEpoch() + 1)));
      out.printf("resuming after epoch %d of %d%n", state.epochsDone(), options.epochs());
    }
    checkNumerics(train, validation);
    int batchesPerEpoch = (train.size() + options.batchSize() - 1) / options.batchSize();
    LearningRateSchedule schedule =
        LearningRateSchedule.of(
            options.schedule(), options.learningRate(), (long) batchesPerEpoch * options.epochs());
    NetworkRunner runner = new NetworkRunner(net, manager, preprocessor);
    for (int epoch = firstEpoch; epoch <= Math.min(stopAfterEpoch, options.epochs()); epoch++) {
      long started = System.nanoTime();
      long cpuStarted = ProcessCpu.nanos();
      EpochTotals totals = trainEpoch(train, epoch, step, schedule);
      step += batchesPerEpoch;
      if (epoch >= options.averageFromEpoch()) {
        average.ifPresent(WeightAverage::add);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpuSeconds = (ProcessCpu.nanos() - cpuStarted) / 1e9;
      NetworkRunner.Predictions val = validation.size() > 0 ? runner.predict(validation) : null;
      if (val != null) {
        NumericGuard.requireFiniteValidation(val.meanLoss(), epoch);
      }
      EpochMetrics metrics =
          new EpochMetrics(
              epoch,
              totals.meanLoss(),
              totals.accuracy(),
              val == null ? Double.NaN : val.meanLoss(),
              val == null ? Double.NaN : val.accuracy(validation.labels()),
              schedule.at(step - 1),
              train.size() / seconds,
              seconds,
              totals.outlierLoss(),
              cpuSeconds);
      history.add(metrics);
      report(metrics, val != null);
      NumericGuard.requireFiniteWeights(net, "after epoch " + epoch);
      checkpoint.save(
          net, sgd, average, new CheckpointState(options, epoch, step, history, earlierStages));
      epochListener.accept(metrics);
    }
    if (history.size() == options.epochs()) {
      finalWeights(train);
    }
    return history;
  }

  /** Prints an epoch's line, and a warning when its loss says the run diverges. */
  private void report(EpochMetrics metrics, boolean validated) {
    out.printf(
        "epoch %d/%d  train loss %.4f acc %.4f%s  %s  %.0f img/s%n",
        metrics.epoch(),
        options.epochs(),
        metrics.trainLoss(),
        metrics.trainAccuracy(),
        outliers.isPresent() ? "  outlier loss %.4f".formatted(metrics.outlierLoss()) : "",
        validated
            ? "val loss %.4f acc %.4f"
                .formatted(metrics.validationLoss(), metrics.validationAccuracy())
            : "no validation split",
        metrics.imagesPerSecond());
    if (metrics.trainLoss() > Math.log(net.architecture().classes())) {
      // Finite but worse than guessing: diverging, not learning.
      out.printf(
          "warning: epoch %d's training loss %.2f is above chance level (ln %d = %.2f): the"
              + " learning rate may be too high for this data and schedule (--lr)%n",
          metrics.epoch(),
          metrics.trainLoss(),
          net.architecture().classes(),
          Math.log(net.architecture().classes()));
    }
  }

  /** The weights the run ends with: the average, if asked for, with its statistics measured. */
  private void finalWeights(LabeledImages train) {
    if (average.isPresent()) {
      average.get().copyIntoNetwork();
      out.printf("weights: mean of the last %d epochs' weights%n", average.get().snapshots());
    }
    if (average.isPresent() || outliers.isPresent()) {
      measureBatchNormStatistics(train);
    }
  }

  /**
   * Checks, once per process and shapes, that this CPU computes the run's convolutions correctly at
   * its batch sizes, switching kernels if it does not (see {@link TrainingNumerics}).
   */
  public NumericsReport checkNumerics(LabeledImages train, LabeledImages validation) {
    // Outlier crops ride along in every training batch.
    int extra = options.outliersPerBatch();
    Set<Integer> trainingBatches = new TreeSet<>();
    trainingBatches.add(Math.min(options.batchSize(), train.size()) + extra);
    if (train.size() % options.batchSize() != 0) {
      trainingBatches.add(train.size() % options.batchSize() + extra);
    }
    NetworkRunner runner = new NetworkRunner(net, manager, preprocessor);
    return TrainingNumerics.ensure(
        TrainingNumerics.cases(
            net, preprocessor.inputSize(), trainingBatches, runner.batchSizes(validation.size())),
        manager,
        out);
  }

  /**
   * Batch-norm statistics for the final weights, measured on one more augmented pass over the
   * training images: averaged weights never ran with any statistics of their own. With outlier
   * exposure the batches carry their outlier crops as in training: the network learnt its weights
   * on the statistics of such mixed batches, and statistics of training images alone shift every
   * layer's input away from them (5.4 points of test accuracy lost in the first fine-tune of the
   * default model).
   */
  private void measureBatchNormStatistics(LabeledImages train) {
    BatchNormCalibration calibration = new BatchNormCalibration(net, manager);
    // A pass of its own: the generators of the epoch after the last.
    int pass = options.epochs() + 1;
    Random random = epochRandom(options.seed(), earlierStages.size(), pass);
    Random outlierRandom = epochRandom(options.seed() ^ OUTLIER_STREAM, earlierStages.size(), pass);
    int[] order = shuffledIndices(train.size(), random);
    int side = preprocessor.inputSize();
    // A last batch of one image has no variance: it is left out.
    for (int start = 0; order.length - start >= 2; start += options.batchSize()) {
      int n = Math.min(options.batchSize(), order.length - start);
      float[] batch =
          withOutliers(batch(train, order, start, n, random, new int[n]), train, outlierRandom);
      int pictures = batch.length / preprocessor.imageLength();
      try (NDScope scope = new NDScope()) {
        calibration.add(manager.create(batch, new Shape(pictures, 3, side, side)));
      }
    }
    calibration.finish();
    out.printf(
        "batch-norm statistics measured over %d batches of training images%s%n",
        calibration.batches(), outliers.isPresent() ? " with their outlier crops" : "");
  }

  /**
   * The generator for one epoch. A warm restart keeps the seed, and with it the validation split;
   * mixing in the stage makes it draw new orders and crops instead of replaying the earlier
   * stage's. The first stage's draws are those of runs that predate stages, so their checkpoints
   * resume unchanged.
   */
  static Random epochRandom(long seed, int stage, int epoch) {
    return new Random(seed * 1_000_003L + epoch + ((long) stage << 32));
  }

  private EpochTotals trainEpoch(
      LabeledImages train, int epoch, long firstStep, LearningRateSchedule schedule) {
    Random random = epochRandom(options.seed(), earlierStages.size(), epoch);
    Random outlierRandom =
        epochRandom(options.seed() ^ OUTLIER_STREAM, earlierStages.size(), epoch);
    int[] order = shuffledIndices(train.size(), random);
    EpochTotals totals = new EpochTotals();
    ProgressBar progress =
        new ProgressBar(out, "epoch %d/%d".formatted(epoch, options.epochs()), train.size());
    long step = firstStep;
    int batches = (order.length + options.batchSize() - 1) / options.batchSize();
    for (int start = 0; start < order.length; start += options.batchSize()) {
      int n = Math.min(options.batchSize(), order.length - start);
      int[] labels = new int[n];
      float[] batch =
          withOutliers(batch(train, order, start, n, random, labels), train, outlierRandom);
      BatchPosition position = new BatchPosition(epoch, start / options.batchSize() + 1, batches);
      trainBatch(batch, labels, schedule.at(step), totals, position);
      step++;
      progress.update(start + n, "loss %.3f".formatted(totals.meanLoss()));
    }
    return totals;
  }

  /** The images {@code order[start..start+n)} as a tensor, augmented if the options say so. */
  private float[] batch(
      LabeledImages train, int[] order, int start, int n, Random random, int[] labels) {
    int length = preprocessor.imageLength();
    byte[] augmented = new byte[train.bytesPerImage()];
    float[] batch = new float[n * length];
    for (int i = 0; i < n; i++) {
      int index = order[start + i];
      if (options.augment()) {
        AUGMENTATION.apply(
            train.pixels(), train.offset(index), augmented, 0, train.imageSize(), random);
        preprocessor.writeTensor(augmented, 0, batch, i * length);
      } else {
        preprocessor.writeTensor(train.pixels(), train.offset(index), batch, i * length);
      }
      labels[i] = train.labels()[index];
    }
    return batch;
  }

  /** The batch followed by {@code outliersPerBatch} outlier crops, or the batch as it is. */
  private float[] withOutliers(float[] batch, LabeledImages train, Random random) {
    if (outliers.isEmpty()) {
      return batch;
    }
    int length = preprocessor.imageLength();
    float[] mixed = Arrays.copyOf(batch, batch.length + options.outliersPerBatch() * length);
    for (int i = 0; i < options.outliersPerBatch(); i++) {
      int offset = batch.length + i * length;
      if (options.syntheticOutlierShare() > 0
          && random.nextDouble() < options.syntheticOutlierShare()) {
        SyntheticOutliers.write(train, preprocessor, random, mixed, offset);
      } else {
        outliers.get().writeCrop(preprocessor, random, mixed, offset);
      }
    }
    return mixed;
  }

  /** Where a batch falls, for error messages: 1-based epoch and batch numbers. */
  private record BatchPosition(int epoch, int batch, int batches) {}

  private void trainBatch(
      float[] batch, int[] labels, double lr, EpochTotals totals, BatchPosition at) {
    int n = labels.length;
    int side = preprocessor.inputSize();
    int classes = net.architecture().classes();
    int pictures = batch.length / preprocessor.imageLength();
    try (NDScope scope = new NDScope()) {
      NDArray x = manager.create(batch, new Shape(pictures, 3, side, side));
      NDArray y = manager.create(labels);
      NDArray logits;
      NDArray classification;
      NDArray outlierLoss = null;
      NDArray loss;
      try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
        NDArray all = net.block().forward(parameterStore, new NDList(x), true).singletonOrThrow();
        logits = pictures == n ? all : all.get("0:" + n);
        classification = smoothedCrossEntropy(logits, y, classes);
        loss = classification;
        if (pictures > n) {
          outlierLoss = uniformCrossEntropy(all.get(n + ":"));
          loss = classification.add(outlierLoss.mul((float) options.outlierWeight()));
        }
        collector.backward(loss);
      }
      NumericGuard.requireFiniteLoss(loss.getFloat(), at.epoch(), at.batch(), at.batches());
      NumericGuard.requireFiniteGradient(sgd.gradientNorm(), at.epoch(), at.batch(), at.batches());
      sgd.step(lr);
      int correct = (int) logits.argMax(1).toType(y.getDataType(), false).eq(y).sum().getLong();
      totals.add(classification.getFloat() * n, correct, n);
      if (outlierLoss != null) {
        totals.addOutliers(outlierLoss.getFloat() * (pictures - n), pictures - n);
      }
    }
  }

  /** Mean over pictures of the cross-entropy between the uniform distribution and the softmax. */
  private static NDArray uniformCrossEntropy(NDArray logits) {
    return logits.logSoftmax(1).mean(new int[] {1}).neg().mean();
  }

  private NDArray smoothedCrossEntropy(NDArray logits, NDArray labels, int classes) {
    float eps = (float) options.labelSmoothing();
    NDArray target = labels.oneHot(classes).mul(1 - eps).add(eps / classes);
    return logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
  }

  private static int[] shuffledIndices(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
    return order;
  }

  private static final class EpochTotals {
    private double lossSum;
    private long correct;
    private long seen;
    private double outlierLossSum;
    private long outliersSeen;

    void addOutliers(double batchLossSum, long count) {
      outlierLossSum += batchLossSum;
      outliersSeen += count;
    }

    double outlierLoss() {
      return outliersSeen == 0 ? Double.NaN : outlierLossSum / outliersSeen;
    }

    void add(double batchLossSum, long batchCorrect, long batchSize) {
      lossSum += batchLossSum;
      correct += batchCorrect;
      seen += batchSize;
    }

    double meanLoss() {
      return seen == 0 ? 0 : lossSum / seen;
    }

    double accuracy() {
      return seen == 0 ? 0 : (double) correct / seen;
    }
  }
}
