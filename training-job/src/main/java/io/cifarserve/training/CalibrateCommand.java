package io.cifarserve.training;

import io.cifarserve.training.calibrate.Calibrator;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.export.RunOutputs;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Command(
    name = "calibrate",
    mixinStandardHelpOptions = true,
    description = {
      "Fits a softmax temperature and an unsure threshold on the test set (cross-fitted), measures",
      "them on photographs of other things, and writes the calibrated model, its card section,",
      "calibration.json, reliability.png and risk-coverage.png. train and export do this too."
    })
final class CalibrateCommand extends TrackedCommand {

  @Mixin DataOptions data;

  @Option(names = "--model", required = true, description = "The ONNX model to calibrate.")
  Path model;

  @Option(
      names = "--ood-dir",
      description =
          "Pictures of none of the classes (JPEG/PNG) to choose the unsure score on, e.g. the"
              + " validation pictures of scripts/collect-pictures.sh outliers.")
  Path oodDir;

  @Option(
      names = "--ood-eval-dir",
      description =
          "Pictures of none of the classes to report on, source by source (with the manifest.tsv"
              + " of scripts/collect-pictures.sh ood-eval); nothing is chosen on them.")
  Path oodEvalDir;

  @Option(
      names = "--out",
      required = true,
      description =
          "Folder for the calibrated model (same file name), MODEL_CARD.md and the report;"
              + " a metrics.json there gets a calibration entry.")
  Path out;

  @Override
  Path outputFolder() {
    return out;
  }

  @Override
  int work() throws IOException {
    LabeledImages test = data.loadTest();
    logDataDigest(Versions.sha256(test));
    Calibrator.Outcome outcome =
        new Calibrator(System.out, oodEvalDir).calibrate(Files.readAllBytes(model), test, oodDir);
    Files.createDirectories(out);
    Path calibrated = out.resolve(model.getFileName());
    Files.write(calibrated, outcome.model());
    Files.writeString(out.resolve(RunOutputs.MODEL_CARD_FILE), outcome.metadata().modelCard());
    JsonMapper json = Json.mapper();
    Calibrator.writeReport(outcome.report(), json, out);
    File metricsFile = out.resolve(RunOutputs.METRICS_FILE).toFile();
    Map<String, Object> metrics =
        metricsFile.exists()
            ? json.readValue(metricsFile, new TypeReference<LinkedHashMap<String, Object>>() {})
            : new LinkedHashMap<>();
    metrics.put("calibration", outcome.report());
    if (outcome.outliers() != null) {
      metrics.put("outOfDistribution", outcome.outliers());
    }
    json.writerWithDefaultPrettyPrinter().writeValue(metricsFile, metrics);
    System.out.println("wrote " + calibrated + " and its report in " + out);
    return 0;
  }
}
