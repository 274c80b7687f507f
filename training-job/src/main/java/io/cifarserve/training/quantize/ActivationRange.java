package io.cifarserve.training.quantize;

/** The range of values an activation tensor is quantized over. */
record ActivationRange(float min, float max) {

  /** uint8 scale and zero point for this range, widened to include 0 as ONNX requires. */
  float scale() {
    float lo = Math.min(0, min);
    float hi = Math.max(0, max);
    return hi > lo ? (hi - lo) / 255f : 1e-8f;
  }

  int zeroPoint() {
    float lo = Math.min(0, min);
    return Math.max(0, Math.min(255, Math.round(-lo / scale())));
  }
}
