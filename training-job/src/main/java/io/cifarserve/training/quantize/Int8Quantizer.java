package io.cifarserve.training.quantize;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Map;

/**
 * Static int8 quantization of an exported model: batch norms folded into the convolutions, ranges
 * of the activations measured on calibration pictures, and a QDQ model written.
 */
public final class Int8Quantizer {

  /** How activation ranges are chosen. */
  public enum Method {
    MIN_MAX,
    PERCENTILE
  }

  private Int8Quantizer() {}

  /**
   * @param fp32 an exported float model (its metadata is kept; the caller replaces it)
   * @param calibration {@code n} preprocessed pictures, NCHW
   */
  public static byte[] quantize(byte[] fp32, float[] calibration, int n, int side, Method method) {
    OnnxMl.ModelProto model;
    try {
      model = OnnxMl.ModelProto.parseFrom(fp32);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX model: " + e.getMessage(), e);
    }
    OnnxMl.ModelProto folded = BatchNormFolding.fold(model);
    List<String> tensors = QdqQuantizer.activations(folded);
    Map<String, ActivationRange> ranges =
        ActivationCalibration.measure(
            QdqQuantizer.withOutputs(folded, tensors).toByteArray(),
            tensors,
            calibration,
            n,
            side,
            method == Method.MIN_MAX
                ? ActivationCalibration.Method.MIN_MAX
                : ActivationCalibration.Method.PERCENTILE);
    return QdqQuantizer.quantize(folded, ranges).toByteArray();
  }
}
