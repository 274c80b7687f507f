package io.cifarserve.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.common.Cifar10;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.export.ModelCard;
import io.cifarserve.training.export.RunOutputs;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.train.Checkpoint;
import io.cifarserve.training.train.CheckpointState;
import io.cifarserve.training.train.TrainingOptions;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;

@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Exports a run's latest checkpoint to ONNX (for example after stopping training early):",
      "evaluates it on the test set, checks ONNX Runtime against DJL, writes the run's results."
    })
final class ExportCommand extends TrackedCommand {

  @Mixin DataOptions data;

  @Mixin PublishOptions publish;

  @Option(names = "--run-dir", required = true, description = "Run folder holding a checkpoint.")
  Path runDir;

  @Override
  Path outputFolder() {
    return runDir;
  }

  @Override
  int work() throws IOException {
    JsonMapper json = Json.mapper();
    Checkpoint checkpoint = new Checkpoint(runDir, json);
    if (!checkpoint.exists()) {
      System.err.println("no checkpoint in " + runDir);
      return 2;
    }
    CheckpointState state = checkpoint.readState();
    TrainingOptions options = state.options();
    if (options.averagesWeights()) {
      // Its model is the mean of its snapshots, which the loop computes; the checkpoint holds the
      // last snapshot.
      System.err.printf(
          "%s averages weights (--average-from-epoch %d); finish or re-export it with train and"
              + " the same options plus --resume%n",
          runDir, options.averageFromEpoch());
      return 2;
    }
    CifarSplit dataset = data.load();
    logDataDigest(Versions.sha256(dataset));
    try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
      ResNet18 net =
          new ResNet18(
              new ResNet18.Architecture(options.stem(), options.width(), Cifar10.LABELS.size()));
      net.initialize(manager, dataset.test().imageSize());
      checkpoint.restore(net, manager);
      int trainImages =
          (int) Math.round(dataset.train().size() * (1 - options.validationFraction()));
      RunOutputs.Result result =
          publish
              .outputs(json, System.out)
              .write(
                  net,
                  manager,
                  state.stages(),
                  dataset.test(),
                  publish.identity(
                      "%,d training images from %s (%d of %d epochs)"
                          .formatted(
                              trainImages, dataset.source(), state.epochsDone(), options.epochs())),
                  new ModelCard.RunFacts(
                      Engine.getInstance().defaultDevice().toString(),
                      net.trainableParameterCount()),
                  runDir);
      publish.quantizeIfAsked(result, dataset, runDir, json, System.out);
      publish.publishIfAsked(result, runDir, System.out, tracking, artifacts);
    }
    return 0;
  }
}
