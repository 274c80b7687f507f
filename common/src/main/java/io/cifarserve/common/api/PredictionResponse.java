package io.cifarserve.common.api;

import java.util.List;

/**
 * The inference API's answer for one image ({@code POST /api/v1/predict}).
 *
 * @param label predicted class
 * @param classIndex its index in the model's labels
 * @param probability its softmax probability
 * @param topK the k most probable classes, best first
 * @param model which model answered
 * @param inferenceMillis server time from decoded image to result
 */
public record PredictionResponse(
    String label,
    int classIndex,
    double probability,
    List<ClassProbability> topK,
    ModelRef model,
    double inferenceMillis) {

  /** A class and its probability. */
  public record ClassProbability(String label, double probability) {}

  /** Which model answered. */
  public record ModelRef(String name, String version) {}
}
