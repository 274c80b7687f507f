package io.cifarserve.training.quantize;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.cifarserve.classifier.onnx.OrtEnvironments;
import io.cifarserve.common.model.ModelSignature;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the range of each activation over calibration pictures, run through ONNX Runtime in
 * float. {@link Method#MIN_MAX} takes the extremes; {@link Method#PERCENTILE} the 99.99th
 * percentile of magnitudes, so a few outliers do not stretch the range and coarsen every other
 * value.
 */
final class ActivationCalibration {

  enum Method {
    MIN_MAX,
    PERCENTILE
  }

  static final double PERCENTILE = 0.9999;
  private static final int BINS = 4096;
  private static final int BATCH = 64;

  private ActivationCalibration() {}

  static Map<String, ActivationRange> measure(
      byte[] modelWithOutputs, List<String> tensors, float[] nchw, int n, int side, Method method) {
    OrtEnvironment env = OrtEnvironments.get();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
      try (OrtSession session = env.createSession(modelWithOutputs, options)) {
        Map<String, float[]> extremes = new HashMap<>();
        forEachBatch(
            session,
            env,
            nchw,
            n,
            side,
            tensors,
            (name, values) -> {
              float[] e =
                  extremes.computeIfAbsent(
                      name, k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
              for (float v : values) {
                e[0] = Math.min(e[0], v);
                e[1] = Math.max(e[1], v);
              }
            });
        Map<String, ActivationRange> ranges = new HashMap<>();
        if (method == Method.MIN_MAX) {
          extremes.forEach((name, e) -> ranges.put(name, new ActivationRange(e[0], e[1])));
          return ranges;
        }
        Map<String, long[]> histograms = new HashMap<>();
        forEachBatch(
            session,
            env,
            nchw,
            n,
            side,
            tensors,
            (name, values) -> {
              float[] e = extremes.get(name);
              double top = Math.max(Math.abs(e[0]), Math.abs(e[1]));
              long[] h = histograms.computeIfAbsent(name, k -> new long[BINS]);
              for (float v : values) {
                int bin = top == 0 ? 0 : (int) Math.min(BINS - 1, Math.abs(v) / top * BINS);
                h[bin]++;
              }
            });
        histograms.forEach(
            (name, h) -> {
              float[] e = extremes.get(name);
              double top = Math.max(Math.abs(e[0]), Math.abs(e[1]));
              long total = 0;
              for (long c : h) {
                total += c;
              }
              long seen = 0;
              int bin = 0;
              while (bin < BINS - 1 && seen + h[bin] < PERCENTILE * total) {
                seen += h[bin++];
              }
              float limit = (float) (top * (bin + 1) / BINS);
              ranges.put(name, new ActivationRange(Math.max(e[0], -limit), Math.min(e[1], limit)));
            });
        return ranges;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("calibration run failed: " + e.getMessage(), e);
    }
  }

  private interface Sink {
    void accept(String tensor, float[] values);
  }

  private static void forEachBatch(
      OrtSession session,
      OrtEnvironment env,
      float[] nchw,
      int n,
      int side,
      List<String> tensors,
      Sink sink)
      throws OrtException {
    int length = 3 * side * side;
    for (int start = 0; start < n; start += BATCH) {
      int b = Math.min(BATCH, n - start);
      FloatBuffer slice = FloatBuffer.wrap(nchw, start * length, b * length).slice();
      try (OnnxTensor input = OnnxTensor.createTensor(env, slice, new long[] {b, 3, side, side});
          OrtSession.Result result = session.run(Map.of(ModelSignature.INPUT, input))) {
        for (String tensor : tensors) {
          OnnxValue value = result.get(tensor).orElseThrow();
          FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
          float[] values = new float[buffer.remaining()];
          buffer.get(values);
          sink.accept(tensor, values);
        }
      }
    }
  }
}
