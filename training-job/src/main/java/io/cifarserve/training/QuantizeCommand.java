package io.cifarserve.training;

import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.quantize.Int8Export;
import io.cifarserve.training.quantize.Int8Quantizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a statically quantized int8 (QDQ) copy of an exported model, <file>-int8.onnx in",
      "--out, served as model <name>-int8: batch norms folded, per-channel int8 weights, activation",
      "ranges from 512 training pictures. It is evaluated and calibrated like any export (card,",
      "metrics.json and calibration report in --out/int8) and timed against the float model."
    })
final class QuantizeCommand extends TrackedCommand {

  @Mixin DataOptions data;

  @Option(names = "--model", required = true, description = "The float ONNX model.")
  Path model;

  @Option(names = "--out", required = true, description = "Folder for the int8 model.")
  Path out;

  @Option(
      names = "--method",
      defaultValue = "MIN_MAX",
      description =
          "Activation ranges: MIN_MAX or PERCENTILE (99.99th percentile of magnitudes)."
              + " Default: ${DEFAULT-VALUE}.")
  Int8Quantizer.Method method;

  @Option(
      names = "--ood-dir",
      description =
          "Photographs of none of the classes, for the calibration report (see calibrate).")
  Path oodDir;

  @Override
  Path outputFolder() {
    return out;
  }

  @Override
  int work() throws IOException {
    CifarSplit dataset = data.load();
    logDataDigest(Versions.sha256(dataset));
    byte[] fp32 = Files.readAllBytes(model);
    Int8Export.Outcome outcome =
        Int8Export.export(fp32, dataset.train(), dataset.test(), oodDir, method, System.out);
    String stem = model.getFileName().toString().replaceFirst("\\.onnx$", "");
    Path file = out.resolve(stem + "-int8.onnx");
    Int8Export.write(outcome, file, Json.mapper());
    try (OnnxClassifier original = OnnxClassifier.load(fp32, 0);
        OnnxClassifier quantized = OnnxClassifier.load(outcome.model(), 0)) {
      for (int batch : new int[] {1, 32}) {
        double f = speed(original, dataset.test(), batch);
        double q = speed(quantized, dataset.test(), batch);
        System.out.printf(
            "batch %d: float %.1f images/s, int8 %.1f images/s (%.2fx)%n", batch, f, q, q / f);
      }
    }
    System.out.printf(
        "wrote %s (%,d KiB; the float model %,d KiB) and its reports in %s%n",
        file,
        Files.size(file) / 1024,
        fp32.length / 1024,
        file.getParent().resolve(Int8Export.REPORT_DIR));
    return 0;
  }

  /** A quick in-process figure; the benchmarks' in-process suite measures properly. */
  private static double speed(OnnxClassifier classifier, LabeledImages test, int batch) {
    float[] tensor = test.tensor(ImagePreprocessor.forModel(classifier.metadata()), 0, batch);
    for (int i = 0; i < 5; i++) {
      classifier.logits(tensor, batch);
    }
    int runs = Math.max(20, 640 / batch);
    long started = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      classifier.logits(tensor, batch);
    }
    return runs * batch / ((System.nanoTime() - started) / 1e9);
  }
}
