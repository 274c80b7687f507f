package io.cifarserve.training.quantize;

import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.training.evaluate.Evaluation;

/** The model card of an int8 copy: what it is a copy of, how it was quantized, what it scores. */
final class Int8Card {

  private Int8Card() {}

  static String render(
      ModelMetadata int8,
      ModelMetadata source,
      Evaluation quantized,
      Evaluation original,
      double agreement,
      Int8Quantizer.Method method,
      int calibrationImages) {
    StringBuilder md = new StringBuilder();
    md.append("# Model card: ").append(int8.name()).append(' ').append(int8.version());
    md.append("\n\n## Summary\n\n");
    md.append(
        "- **What it is:** `%s` %s quantized to int8 after training: the same network and preprocessing, with its weights and activations rounded to 8-bit integers. Read that model's card for its data and training recipe.%n"
            .formatted(source.name(), source.version()));
    md.append("- **Training data:** ").append(int8.trainingData()).append('\n');
    md.append(
        "- **Test accuracy:** %.2f%% on %,d held-out test images (the float model: %.2f%%, %+.2f points); both give the same class for %.2f%% of the test images.%n"
            .formatted(
                100 * quantized.accuracy(),
                quantized.images(),
                100 * original.accuracy(),
                100 * (quantized.accuracy() - original.accuracy()),
                100 * agreement));
    md.append("- **Architecture:** ").append(int8.architecture()).append('\n');
    md.append("\n## Quantization\n\n");
    md.append(
        "- Static, in ONNX's QDQ form: batch normalisation folded into the convolutions; convolution weights int8 per output channel (symmetric, scale = max |w| / 127) with int32 biases; the activations that convolutions, additions and the final pooling read uint8 (asymmetric), over ranges measured on %d training pictures (seeded draw) by %s.%n"
            .formatted(
                calibrationImages,
                method == Int8Quantizer.Method.MIN_MAX
                    ? "their minimum and maximum"
                    : "the 99.99th percentile of magnitudes"));
    md.append(
        "- ONNX Runtime fuses the pattern into its integer kernels (QLinearConv, QLinearAdd, QLinearGlobalAveragePool); the final linear layer stays in float.\n");
    md.append("\n## Per-class scores on the test set\n\n");
    md.append("| class | precision | recall | F1 | images |\n|---|---:|---:|---:|---:|\n");
    for (Evaluation.ClassScores s : quantized.perClass()) {
      md.append(
          "| %s | %.4f | %.4f | %.4f | %d |%n"
              .formatted(s.label(), s.precision(), s.recall(), s.f1(), s.support()));
    }
    md.append("\n## Limitations\n\n");
    md.append(
        "- Everything the float model's card says applies; in addition, rounding to 8 bits changes the answer for %.2f%% of test pictures.%n"
            .formatted(100 * (1 - agreement)));
    return md.toString();
  }
}
