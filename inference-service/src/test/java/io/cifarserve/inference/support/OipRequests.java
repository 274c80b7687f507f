package io.cifarserve.inference.support;

import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Open Inference Protocol request bodies, as the spec spells them, for tests. */
public final class OipRequests {

  private OipRequests() {}

  /** One input or output tensor as the spec's JSON object. */
  public static Map<String, Object> tensor(
      String name, List<? extends Number> shape, String datatype, List<?> data) {
    return Map.of("name", name, "shape", shape, "datatype", datatype, "data", data);
  }

  /** An inference request with one input tensor. */
  public static Map<String, Object> request(Map<String, Object> input) {
    return Map.of("inputs", List.of(input));
  }

  /** An inference request classifying encoded pictures, sent in base64 as input {@code image}. */
  public static Map<String, Object> images(byte[]... pictures) {
    List<String> data =
        java.util.Arrays.stream(pictures).map(Base64.getEncoder()::encodeToString).toList();
    return request(tensor("image", List.of(pictures.length), "BYTES", data));
  }
}
