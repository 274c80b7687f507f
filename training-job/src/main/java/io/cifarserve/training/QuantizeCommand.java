package io.cifarserve.training;

import io.cifarserve.common.image.ImagePreprocessor;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.model.Ranking;
import io.cifarserve.common.onnx.OnnxClassifier;
import io.cifarserve.common.onnx.OnnxGraphBuilder;
import io.cifarserve.training.data.CifarSplit;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.evaluate.Evaluation;
import io.cifarserve.training.quantize.Int8Quantizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "quantize",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a statically quantized int8 (QDQ) copy of an exported model: batch norms folded,",
      "per-channel int8 weights, activation ranges calibrated on training pictures; evaluates it",
      "on the test set against the float model."
    })
final class QuantizeCommand implements Callable<Integer> {

  private static final int BATCH = 256;

  @Mixin DataOptions data;

  @Option(names = "--model", required = true, description = "The float ONNX model.")
  Path model;

  @Option(names = "--out", required = true, description = "Folder for <name>-int8.onnx.")
  Path out;

  @Option(
      names = "--calibration-images",
      defaultValue = "512",
      description =
          "Training pictures the activation ranges are measured on. Default: ${DEFAULT-VALUE}.")
  int calibrationImages;

  @Option(
      names = "--method",
      defaultValue = "PERCENTILE",
      description =
          "MIN_MAX or PERCENTILE (99.99th percentile of magnitudes). Default: ${DEFAULT-VALUE}.")
  Int8Quantizer.Method method;

  @Override
  public Integer call() throws IOException {
    CifarSplit dataset = data.load();
    LabeledImages train = dataset.train();
    LabeledImages test = dataset.test();
    byte[] fp32 = Files.readAllBytes(model);
    try (OnnxClassifier reference = OnnxClassifier.load(fp32, 0)) {
      ModelMetadata metadata = reference.metadata();
      ImagePreprocessor preprocessor = ImagePreprocessor.forModel(metadata);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < train.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(8));
      int n = Math.min(calibrationImages, train.size());
      LabeledImages calibration =
          train.select(order.subList(0, n).stream().mapToInt(Integer::intValue).toArray());
      long started = System.nanoTime();
      byte[] int8 =
          Int8Quantizer.quantize(
              fp32, calibration.tensor(preprocessor, 0, n), n, metadata.inputSize(), method);
      System.out.printf(
          "quantized with %s ranges from %d training pictures in %.1f s%n",
          method, n, (System.nanoTime() - started) / 1e9);
      Files.createDirectories(out);
      String name = metadata.name() + "-int8";
      Path file = out.resolve(name + ".onnx");
      Files.write(file, OnnxGraphBuilder.withMetadata(int8, metadata.toProperties()));
      try (OnnxClassifier quantized = OnnxClassifier.load(file, 0)) {
        int[] floatPredictions = predictions(reference, test, preprocessor);
        int[] intPredictions = predictions(quantized, test, preprocessor);
        int agree = 0;
        for (int i = 0; i < test.size(); i++) {
          agree += floatPredictions[i] == intPredictions[i] ? 1 : 0;
        }
        Evaluation f =
            Evaluation.of(test.labels(), floatPredictions, Double.NaN, metadata.labels());
        Evaluation q = Evaluation.of(test.labels(), intPredictions, Double.NaN, metadata.labels());
        System.out.printf(
            "test accuracy float %.4f, int8 %.4f (%+.2f points); same class on %.2f%% of %d pictures%n",
            f.accuracy(),
            q.accuracy(),
            100 * (q.accuracy() - f.accuracy()),
            100.0 * agree / test.size(),
            test.size());
        System.out.printf(
            "batch 32: float %.1f images/s, int8 %.1f images/s%n",
            speed(reference, test, preprocessor, 32), speed(quantized, test, preprocessor, 32));
        System.out.printf(
            "batch 1: float %.1f images/s, int8 %.1f images/s%n",
            speed(reference, test, preprocessor, 1), speed(quantized, test, preprocessor, 1));
      }
      System.out.println("wrote " + file + " (" + Files.size(file) / 1024 + " KiB)");
    }
    return 0;
  }

  private static int[] predictions(
      OnnxClassifier classifier, LabeledImages test, ImagePreprocessor preprocessor) {
    int[] predicted = new int[test.size()];
    for (int start = 0; start < test.size(); start += BATCH) {
      int n = Math.min(BATCH, test.size() - start);
      float[][] logits = classifier.logits(test.tensor(preprocessor, start, n), n);
      for (int i = 0; i < n; i++) {
        predicted[start + i] = Ranking.argmax(logits[i]);
      }
    }
    return predicted;
  }

  private static double speed(
      OnnxClassifier classifier, LabeledImages test, ImagePreprocessor preprocessor, int batch) {
    float[] tensor = test.tensor(preprocessor, 0, batch);
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
