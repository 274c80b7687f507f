package io.cifarserve.training.export;

import io.cifarserve.common.onnx.OnnxClassifier;
import io.cifarserve.training.train.NetworkRunner;

/**
 * Runs the exported file in ONNX Runtime and the network in DJL on the same batch; an export whose
 * logits differ by more than the tolerance is refused before anything is published.
 */
public final class ParityCheck {

  public static final double TOLERANCE = 1e-4;

  private ParityCheck() {}

  /** The largest absolute difference between the two sets of logits. */
  public static double maxAbsDifference(NetworkRunner djl, byte[] onnxModel, float[] nchw, int n) {
    float[][] expected = djl.logits(nchw, n);
    try (OnnxClassifier ort = OnnxClassifier.load(onnxModel, 1)) {
      float[][] actual = ort.logits(nchw, n);
      double max = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < expected[i].length; j++) {
          max = Math.max(max, Math.abs(expected[i][j] - actual[i][j]));
        }
      }
      return max;
    }
  }

  /** Throws when the difference exceeds {@link #TOLERANCE}; returns it otherwise. */
  public static double verify(NetworkRunner djl, byte[] onnxModel, float[] nchw, int n) {
    double difference = maxAbsDifference(djl, onnxModel, nchw, n);
    if (!(difference <= TOLERANCE)) {
      throw new IllegalStateException(
          "ONNX export refused: ONNX Runtime and DJL logits differ by %.3g (limit %.0e)"
              .formatted(difference, TOLERANCE));
    }
    return difference;
  }
}
