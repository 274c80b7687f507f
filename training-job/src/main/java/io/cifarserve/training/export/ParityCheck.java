package io.cifarserve.training.export;

import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.training.train.NetworkRunner;

/**
 * Runs the exported file in ONNX Runtime and the network in DJL on the same batch; an export whose
 * logits differ by more than the tolerance is refused before anything is published. The tolerance
 * scales with the logits once they exceed 1: two correct implementations round differently, and on
 * one AMD EPYC a correctly exported model with logits near 1e7 differed by 0.25 (1e-8 of them).
 */
public final class ParityCheck {

  public static final double TOLERANCE = 1e-4;

  private ParityCheck() {}

  /** How far apart the two sets of logits are, and how large DJL's are. */
  public record Comparison(double maxAbsDifference, double maxAbsLogit) {

    /** {@link #TOLERANCE} times the largest logit magnitude, at least {@link #TOLERANCE}. */
    public double limit() {
      return TOLERANCE * Math.max(1, maxAbsLogit);
    }
  }

  public static Comparison compare(NetworkRunner djl, byte[] onnxModel, float[] nchw, int n) {
    float[][] expected = djl.logits(nchw, n);
    try (OnnxClassifier ort = OnnxClassifier.load(onnxModel, 1)) {
      float[][] actual = ort.logits(nchw, n);
      double max = 0;
      double scale = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < expected[i].length; j++) {
          max = Math.max(max, Math.abs(expected[i][j] - actual[i][j]));
          scale = Math.max(scale, Math.abs(expected[i][j]));
        }
      }
      return new Comparison(max, scale);
    }
  }

  /** Throws when the difference exceeds its limit; returns the comparison otherwise. */
  public static Comparison verify(NetworkRunner djl, byte[] onnxModel, float[] nchw, int n) {
    Comparison comparison = compare(djl, onnxModel, nchw, n);
    if (!(comparison.maxAbsDifference() <= comparison.limit())) {
      throw new IllegalStateException(
          "ONNX export refused: ONNX Runtime and DJL logits differ by %.3g (limit %.3g: %.0e times"
              + " the largest logit, %.3g, or %.0e)"
                  .formatted(
                      comparison.maxAbsDifference(),
                      comparison.limit(),
                      TOLERANCE,
                      comparison.maxAbsLogit(),
                      TOLERANCE));
    }
    return comparison;
  }
}
