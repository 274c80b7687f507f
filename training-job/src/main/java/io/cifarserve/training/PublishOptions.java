package io.cifarserve.training;

import io.cifarserve.mlflow.TrackedRun;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.export.PromotionGate;
import io.cifarserve.training.export.RunOutputs;
import io.cifarserve.training.model.TestTimeAugmentation;
import io.cifarserve.training.quantize.Int8Export;
import io.cifarserve.training.quantize.Int8Quantizer;
import io.cifarserve.training.tracking.RunArtifacts;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import tools.jackson.databind.json.JsonMapper;

/**
 * How an exported model is named, how it predicts and where it is published; shared by train and
 * export.
 */
public final class PublishOptions {

  /** The registry alias that names the model to serve. */
  public static final String CHAMPION = "champion";

  @Option(
      names = "--publish-to",
      description = "Publish the model there as model.onnx unless less accurate than the current.")
  Path publishTo;

  @Option(names = "--force", description = "Publish even if less accurate than the current model.")
  boolean force;

  @Option(
      names = "--model-name",
      defaultValue = "cifar10-resnet18",
      description = "Default: ${DEFAULT-VALUE}.")
  String modelName;

  @Option(names = "--model-version", description = "Default: the export time, yyyyMMdd-HHmmss.")
  String modelVersion;

  @Option(
      names = "--data-description",
      description =
          "How the model card describes the training data. Default: from the data source.")
  String dataDescription;

  @Option(
      names = "--flip-averaging",
      description =
          "Export a model that averages each picture's logits with its mirror image's: better"
              + " accuracy for twice the compute per picture.")
  boolean flipAveraging;

  @Option(
      names = "--ood-dir",
      description =
          "Pictures of none of the classes to choose the unsure score on (the outliers-validation"
              + " set of scripts/collect-pictures.sh), and report how many are flagged.")
  Path oodDir;

  @Option(
      names = "--quantize",
      description =
          "int8: also write model-int8.onnx, a statically quantized copy evaluated and calibrated"
              + " like the float model (reports in int8/).")
  String quantize;

  RunOutputs outputs(JsonMapper json, PrintStream out) {
    return new RunOutputs(json, out, testTimeAugmentation(), oodDir);
  }

  TestTimeAugmentation testTimeAugmentation() {
    return flipAveraging ? TestTimeAugmentation.HORIZONTAL_FLIP : TestTimeAugmentation.NONE;
  }

  RunOutputs.Identity identity(String defaultDataDescription) {
    return new RunOutputs.Identity(
        modelName,
        modelVersion != null ? modelVersion : Versions.timestamp(),
        dataDescription != null ? dataDescription : defaultDataDescription);
  }

  /** With {@code --quantize int8}, the int8 copy of the run's model beside it. */
  void quantizeIfAsked(
      RunOutputs.Result result, CifarSplit dataset, Path runDir, JsonMapper json, PrintStream out)
      throws IOException {
    if (quantize == null) {
      return;
    }
    if (!quantize.equals("int8")) {
      throw new ParameterException(new CommandLine(this), "--quantize takes int8, was " + quantize);
    }
    Int8Export.Outcome outcome =
        Int8Export.export(
            Files.readAllBytes(result.model()),
            dataset.train(),
            dataset.test(),
            oodDir,
            Int8Quantizer.Method.MIN_MAX,
            out);
    Int8Export.write(outcome, runDir.resolve("model-int8.onnx"), json);
  }

  /**
   * With {@code --publish-to}, publishes the model unless less accurate than the current one; when
   * it is published and the run is tracked, also registers it in MLflow's model registry under the
   * model's name, tagged with its accuracy, and points the alias {@value #CHAMPION} at it.
   */
  void publishIfAsked(
      RunOutputs.Result result,
      Path runDir,
      PrintStream out,
      TrackedRun tracking,
      RunArtifacts artifacts) {
    if (publishTo == null) {
      return;
    }
    boolean published =
        PromotionGate.publish(
            result.model(),
            List.of(
                runDir.resolve(RunOutputs.MODEL_CARD_FILE),
                runDir.resolve(RunOutputs.METRICS_FILE)),
            publishTo,
            force,
            out);
    if (published && tracking.info().isPresent()) {
      artifacts.logNew();
      tracking.registerModel(
          modelName,
          RunArtifacts.MODEL_FOLDER,
          Map.of(
              "test_accuracy",
              Double.toString(result.evaluation().accuracy()),
              "published_to",
              publishTo.toAbsolutePath().toString()),
          CHAMPION);
    }
  }
}
