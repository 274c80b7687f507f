package io.cifarserve.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.image.ImagePreprocessor;
import io.cifarserve.training.data.Checksum;
import io.cifarserve.training.data.ChecksummedDownload;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.data.StratifiedSplit;
import io.cifarserve.training.export.ModelCard;
import io.cifarserve.training.export.RunOutputs;
import io.cifarserve.training.model.PretrainedWeights;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.numerics.NumericsReport;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.json.JsonMapper;

@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Trains ResNet-18, evaluates it on the test set, exports ONNX (checked against DJL with",
      "ONNX Runtime) and writes the run directory. Checkpoints after every epoch."
    })
final class TrainCommand implements Callable<Integer> {

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
        "Run folder of an earlier run (same stem and width) whose checkpoint weights, classifier head",
        "included, this run starts from. Momentum and the learning-rate schedule start afresh: a warm",
        "restart. The earlier run is recorded as a stage in the card and metrics."
      })
  Path initFrom;

  @Option(names = "--resume", description = "Continue from the checkpoint in --run-dir.")
  boolean resume;

  @Option(
      names = "--stop-after-epoch",
      description =
          "Stop once this epoch is checkpointed, without exporting; continue later with --resume.")
  Integer stopAfterEpoch;

  @Mixin PublishOptions publish;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintStream out = System.out;
    JsonMapper json = Json.mapper();
    TrainingOptions options =
        new TrainingOptions(
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
            averageFromEpoch);
    if (initFrom != null && (pretrained != null || pretrainedUrl != null)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "give --init-from or --pretrained, not both");
    }
    CifarSplit dataset = data.load();
    StratifiedSplit.Parts parts =
        StratifiedSplit.split(dataset.train(), Cifar10.LABELS.size(), validationFraction, seed);
    out.printf(
        "data: %s (%,d training, %,d validation, %,d test images)%n",
        dataset.source(), parts.train().size(), parts.validation().size(), dataset.test().size());
    Files.createDirectories(runDir);

    Engine engine = Engine.getInstance();
    engine.setRandomSeed((int) seed);
    Device device = engine.defaultDevice();
    out.println("device: " + device);
    try (NDManager manager = NDManager.newBaseManager(device)) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(stem, width, Cifar10.LABELS.size()));
      net.initialize(manager, dataset.test().imageSize());
      Path weights = pretrainedWeights();
      Checkpoint checkpoint = new Checkpoint(runDir, json);
      List<TrainingStage> earlierStages = List.of();
      if (resume && checkpoint.exists()) {
        // The loop restores this run's weights; its checkpoint knows the stages before it.
        earlierStages = checkpoint.readState().earlierStages();
      } else if (initFrom != null) {
        CheckpointState prior = new Checkpoint(initFrom, json).restore(net, manager);
        earlierStages = prior.stages().stages();
        out.printf("initial weights: %s (after %d epochs)%n", initFrom, prior.epochsDone());
      }
      if (weights != null) {
        PretrainedWeights.Report report = PretrainedWeights.load(weights, net, manager);
        out.printf(
            "pretrained: loaded %d tensors, skipped %d %s%n",
            report.loaded().size(), report.skipped().size(), report.skipped());
      }
      ImagePreprocessor preprocessor =
          new ImagePreprocessor(dataset.test().imageSize(), Cifar10.MEAN, Cifar10.STD);
      TrainingLoop loop =
          new TrainingLoop(net, manager, options, earlierStages, preprocessor, checkpoint, out);
      writeParams(json, options, dataset, loop.checkNumerics(parts.train(), parts.validation()));
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
      RunOutputs.Result result =
          publish
              .outputs(json, out)
              .write(
                  net,
                  manager,
                  TrainingStages.of(earlierStages, new TrainingStage(options, history)),
                  dataset.test(),
                  publish.identity(
                      "%,d training images from %s"
                          .formatted(parts.train().size(), dataset.source())),
                  new ModelCard.RunFacts(device.toString(), net.trainableParameterCount()),
                  runDir);
      publish.quantizeIfAsked(result, dataset, runDir, json, out);
      publish.publishIfAsked(result, runDir, out);
    }
    return 0;
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
      JsonMapper json, TrainingOptions options, CifarSplit dataset, NumericsReport numerics) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("options", options);
    params.put("dataDir", data.dataDir.toAbsolutePath().toString());
    params.put("dataSource", dataset.source());
    params.put("dataSha256", Versions.sha256(dataset));
    params.put("pretrained", pretrainedUrl != null ? pretrainedUrl.toString() : pretrained);
    params.put("initFrom", initFrom == null ? null : initFrom.toAbsolutePath().toString());
    params.put("resume", resume);
    params.put("gitCommit", Versions.gitCommit());
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
