package io.cifarserve.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import io.cifarserve.mlflow.GitCommit;
import io.cifarserve.training.data.Checksum;
import io.cifarserve.training.data.ChecksummedDownload;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.data.OutlierImages;
import io.cifarserve.training.data.StratifiedSplit;
import io.cifarserve.training.export.ModelCard;
import io.cifarserve.training.export.RunOutputs;
import io.cifarserve.training.model.OnnxWeights;
import io.cifarserve.training.model.PretrainedWeights;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.numerics.NumericsReport;
import io.cifarserve.training.tracking.EpochLog;
import io.cifarserve.training.train.Checkpoint;
import io.cifarserve.training.train.CheckpointState;
import io.cifarserve.training.train.EpochMetrics;
import io.cifarserve.training.train.TrainingLoop;
import io.cifarserve.training.train.TrainingOptions;
import io.cifarserve.training.train.TrainingStage;
import io.cifarserve.training.train.TrainingStages;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains ResNet-18, evaluates it on the test set, exports ONNX (checked against DJL with",
      "ONNX Runtime) and writes the run directory. Checkpoints after every epoch."
    })
final class TrainCommand extends TrackedCommand {

  @Mixin DataOptions data;

  @Option(names = "--run-dir", required = true, description = "Folder for checkpoints and results.")
  Path runDir;

  @Option(
      names = "--stem",
      defaultValue = "cifar",
      converter = StemConverter.class,
      description =
          "imagenet (7x7/2 + max-pool), cifar (3x3/1) or cifar-stride2 (3x3/2). Default: ${DEFAULT-VALUE}.")
  Stem stem;

  @Option(
      names = "--width",
      defaultValue = "64",
      description = "Channels of the first stage; 64 is ResNet-18. Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(names = "--epochs", defaultValue = "30", description = "Default: ${DEFAULT-VALUE}.")
  int epochs;

  @Option(names = "--batch-size", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--lr",
      defaultValue = "0.1",
      description = "Peak learning rate. Default: ${DEFAULT-VALUE}.")
  double learningRate;

  @Option(
      names = "--schedule",
      defaultValue = "one-cycle",
      description = "one-cycle, cosine or constant. Default: ${DEFAULT-VALUE}.")
  String schedule;

  @Option(names = "--momentum", defaultValue = "0.9", description = "Default: ${DEFAULT-VALUE}.")
  double momentum;

  @Option(
      names = "--nesterov",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Nesterov momentum. Default: ${DEFAULT-VALUE}.")
  boolean nesterov;

  @Option(
      names = "--weight-decay",
      defaultValue = "5e-4",
      description = "L2 on conv and linear weights. Default: ${DEFAULT-VALUE}.")
  double weightDecay;

  @Option(
      names = "--label-smoothing",
      defaultValue = "0.1",
      description = "Default: ${DEFAULT-VALUE}.")
  double labelSmoothing;

  @Option(
      names = "--validation-fraction",
      defaultValue = "0.1",
      description = "Share of each class held out (0.1 = 45k/5k). Default: ${DEFAULT-VALUE}.")
  double validationFraction;

  @Option(
      names = "--augment",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Random crop (4 px padding) and flip. Default: ${DEFAULT-VALUE}.")
  boolean augment;

  @Option(names = "--seed", defaultValue = "42", description = "Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--average-from-epoch",
      defaultValue = "0",
      description = {
        "Stochastic weight averaging: the model is the mean of the weights at the end of this",
        "epoch and every later one, with batch-norm statistics measured afresh on the training",
        "images. Best as a last stage (--init-from) with --schedule constant. 0: off (default)."
      })
  int averageFromEpoch;

  @Option(
      names = "--pretrained",
      description =
          "ImageNet ResNet-18 weights (.safetensors, torchvision/timm names) to start from.")
  Path pretrained;

  @Option(names = "--pretrained-url", description = "Download the weights from here first.")
  URI pretrainedUrl;

  @Option(
      names = "--pretrained-checksum",
      description = "Digest of the weights at --pretrained-url, md5:HEX or sha256:HEX.")
  String pretrainedChecksum;

  @Option(
      names = "--init-from",
      description = {
        "Where this run's starting weights come from: the run folder of an earlier run (its",
        "checkpoint), or a float model this job exported (.onnx; its stages are read from the",
        "metrics.json beside it). Same stem and width. Momentum and the learning-rate schedule",
        "start afresh: a warm restart, recorded as a new stage in the card and metrics."
      })
  Path initFrom;

  @Option(
      names = "--outliers",
      description = {
        "Folder of pictures of things that are none of the classes (outlier exposure): each batch",
        "also carries random crops of them, and the loss pulls their predictions towards the",
        "uniform distribution, so the model learns to answer them unsure."
      })
  Path outliers;

  @Option(
      names = "--outliers-per-batch",
      defaultValue = "64",
      description =
          "Outlier crops beside each batch of training images. Default: ${DEFAULT-VALUE}.")
  int outliersPerBatch;

  @Option(
      names = "--outlier-weight",
      defaultValue = "0.5",
      description = {
        "Weight of the outlier loss (cross-entropy to the uniform distribution) beside the",
        "classification loss; 0.5 is the value Hendrycks et al. (2019) used for vision.",
        "Default: ${DEFAULT-VALUE}."
      })
  double outlierWeight;

  @Option(
      names = "--synthetic-outliers",
      defaultValue = "0",
      description = {
        "Share of the outlier crops replaced by made-up pictures: uniform noise, colour blobs and",
        "training pictures cut into 4x4 tiles and shuffled. Default: ${DEFAULT-VALUE} (real crops only)."
      })
  double syntheticOutliers;

  @Option(names = "--resume", description = "Continue from the checkpoint in --run-dir.")
  boolean resume;

  @Option(
      names = "--stop-after-epoch",
      description =
          "Stop once this epoch is checkpointed, without exporting; continue later with --resume.")
  Integer stopAfterEpoch;

  @Mixin PublishOptions publish;

  @Override
  Path outputFolder() {
    return runDir;
  }

  @Override
  int work() throws IOException {
    PrintStream out = System.out;
    JsonMapper json = Json.mapper();
    TrainingOptions options = options();
    requireOneStart();
    CifarSplit dataset = data.load();
    StratifiedSplit.Parts parts =
        StratifiedSplit.split(dataset.train(), Cifar10.LABELS.size(), validationFraction, seed);
    out.printf(
        "data: %s (%,d training, %,d validation, %,d test images)%n",
        dataset.source(), parts.train().size(), parts.validation().size(), dataset.test().size());
    Optional<OutlierImages> outlierImages = loadOutliers(out);
    Files.createDirectories(runDir);

    Engine engine = Engine.getInstance();
    engine.setRandomSeed((int) seed);
    Device device = engine.defaultDevice();
    out.println("device: " + device);
    try (NDManager manager = NDManager.newBaseManager(device)) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(stem, width, Cifar10.LABELS.size()));
      net.initialize(manager, dataset.test().imageSize());
      Checkpoint checkpoint = new Checkpoint(runDir, json);
      List<TrainingStage> earlierStages = startingWeights(net, manager, checkpoint, json, out);
      ImagePreprocessor preprocessor =
          new ImagePreprocessor(dataset.test().imageSize(), Cifar10.MEAN, Cifar10.STD);
      TrainingLoop loop =
          new TrainingLoop(
              net, manager, options, earlierStages, preprocessor, checkpoint, out, outlierImages);
      loop.onEpoch(epoch -> tracking.logMetrics(EpochLog.metrics(epoch), epoch.epoch()));
      writeParams(
          json,
          options,
          dataset,
          outlierImages,
          loop.checkNumerics(parts.train(), parts.validation()));
      long started = System.nanoTime();
      List<EpochMetrics> history =
          loop.run(
              parts.train(),
              parts.validation(),
              resume,
              stopAfterEpoch != null ? stopAfterEpoch : epochs);
      if (history.size() < epochs) {
        out.printf(
            "stopped after epoch %d of %d; continue with the same options and --resume%n",
            history.size(), epochs);
        return 0;
      }
      out.printf("training took %.0f s in this process%n", (System.nanoTime() - started) / 1e9);
      TrainingStages stages = TrainingStages.of(earlierStages, new TrainingStage(options, history));
      exportAndPublish(net, manager, stages, dataset, parts, device, json, out);
    }
    return 0;
  }

  private TrainingOptions options() {
    return new TrainingOptions(
        stem,
        width,
        epochs,
        batchSize,
        learningRate,
        schedule,
        momentum,
        nesterov,
        weightDecay,
        labelSmoothing,
        validationFraction,
        augment,
        seed,
        averageFromEpoch,
        outliers == null ? 0 : outliersPerBatch,
        outliers == null ? 0 : outlierWeight,
        outliers == null ? 0 : syntheticOutliers);
  }

  private void requireOneStart() {
    if (initFrom != null && (pretrained != null || pretrainedUrl != null)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "give --init-from or --pretrained, not both");
    }
    if (outliers != null && outliersPerBatch <= 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--outliers needs --outliers-per-batch of at least 1");
    }
    if (outliers == null && syntheticOutliers != 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--synthetic-outliers replaces some of the --outliers crops; give both");
    }
  }

  private Optional<OutlierImages> loadOutliers(PrintStream out) {
    if (outliers == null) {
      return Optional.empty();
    }
    OutlierImages images = OutlierImages.load(outliers);
    out.printf(
        "outliers: %,d pictures in %s, %d crops a batch, weight %s%n",
        images.size(), outliers, outliersPerBatch, outlierWeight);
    return Optional.of(images);
  }

  /**
   * Puts the starting weights into the network: this run's checkpoint when resuming (the loop
   * restores it), an earlier run's or an exported model's with {@code --init-from}, or pretrained
   * ImageNet weights.
   *
   * @return the stages the starting weights went through
   */
  private List<TrainingStage> startingWeights(
      ResNet18 net, NDManager manager, Checkpoint checkpoint, JsonMapper json, PrintStream out) {
    if (resume && checkpoint.exists()) {
      // The loop restores this run's weights; its checkpoint knows the stages before it.
      return checkpoint.readState().earlierStages();
    }
    if (initFrom != null && Files.isRegularFile(initFrom)) {
      int tensors = OnnxWeights.load(initFrom, net);
      List<TrainingStage> stages = exportedStages(json);
      out.printf(
          "initial weights: %s (%d tensors, %d earlier stages)%n",
          initFrom, tensors, stages.size());
      return stages;
    }
    if (initFrom != null) {
      CheckpointState prior = new Checkpoint(initFrom, json).restore(net, manager);
      out.printf("initial weights: %s (after %d epochs)%n", initFrom, prior.epochsDone());
      return prior.stages().stages();
    }
    Path weights = pretrainedWeights();
    if (weights != null) {
      PretrainedWeights.Report report = PretrainedWeights.load(weights, net, manager);
      out.printf(
          "pretrained: loaded %d tensors, skipped %d %s%n",
          report.loaded().size(), report.skipped().size(), report.skipped());
    }
    return List.of();
  }

  /** The stages of the exported model named by --init-from, from the metrics.json beside it. */
  private List<TrainingStage> exportedStages(JsonMapper json) {
    Path metrics = initFrom.toAbsolutePath().resolveSibling(RunOutputs.METRICS_FILE);
    if (!Files.isRegularFile(metrics)) {
      return List.of();
    }
    return TrainingStages.fromMetrics(json.readTree(metrics.toFile()), json);
  }

  private void exportAndPublish(
      ResNet18 net,
      NDManager manager,
      TrainingStages stages,
      CifarSplit dataset,
      StratifiedSplit.Parts parts,
      Device device,
      JsonMapper json,
      PrintStream out)
      throws IOException {
    RunOutputs.Result result =
        publish
            .outputs(json, out)
            .write(
                net,
                manager,
                stages,
                dataset.test(),
                publish.identity(
                    "%,d training images from %s"
                        .formatted(parts.train().size(), dataset.source())),
                new ModelCard.RunFacts(device.toString(), net.trainableParameterCount()),
                runDir);
    publish.quantizeIfAsked(result, dataset, runDir, json, out);
    publish.publishIfAsked(result, runDir, out, tracking, artifacts);
  }

  private Path pretrainedWeights() {
    if (pretrainedUrl == null) {
      return pretrained;
    }
    if (pretrainedChecksum == null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--pretrained-url needs --pretrained-checksum");
    }
    Path target = pretrained != null ? pretrained : runDir.resolve("pretrained.safetensors");
    if (!Files.isRegularFile(target)) {
      ChecksummedDownload.fetch(pretrainedUrl, target, Checksum.parse(pretrainedChecksum));
    }
    return target;
  }

  private void writeParams(
      JsonMapper json,
      TrainingOptions options,
      CifarSplit dataset,
      Optional<OutlierImages> outlierImages,
      NumericsReport numerics) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("options", options);
    params.put("dataDir", data.dataDir.toAbsolutePath().toString());
    params.put("dataSource", dataset.source());
    String dataSha256 = Versions.sha256(dataset);
    params.put("dataSha256", dataSha256);
    logDataDigest(dataSha256);
    params.put("pretrained", pretrainedUrl != null ? pretrainedUrl.toString() : pretrained);
    params.put("initFrom", initFrom == null ? null : initFrom.toAbsolutePath().toString());
    params.put(
        "initFromSha256",
        initFrom != null && Files.isRegularFile(initFrom) ? Versions.sha256(initFrom) : null);
    params.put("outliers", outliers == null ? null : outliers.toAbsolutePath().toString());
    params.put("outlierPictures", outlierImages.map(OutlierImages::size).orElse(null));
    params.put("outliersSha256", outlierImages.map(OutlierImages::sha256).orElse(null));
    params.put("resume", resume);
    params.put("gitCommit", GitCommit.current());
    params.put("versions", Versions.runtime());
    params.put("numerics", numerics);
    try {
      json.writerWithDefaultPrettyPrinter()
          .writeValue(runDir.resolve("params.json").toFile(), params);
    } catch (RuntimeException e) {
      throw new UncheckedIOException(new IOException("cannot write params.json", e));
    }
  }
}
