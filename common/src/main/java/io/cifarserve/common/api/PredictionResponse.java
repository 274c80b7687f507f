package io.cifarserve.common.api;

import io.cifarserve.common.model.Ranking;
import java.util.ArrayList;
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

  /** The answer a row of probabilities gives: the best class and the {@code k} most probable. */
  public static PredictionResponse rank(
      float[] probabilities, List<String> labels, int k, ModelRef model, double millis) {
    List<ClassProbability> top = new ArrayList<>();
    for (int index : Ranking.topK(probabilities, k)) {
      top.add(new ClassProbability(labels.get(index), probabilities[index]));
    }
    int best = Ranking.argmax(probabilities);
    return new PredictionResponse(labels.get(best), best, probabilities[best], top, model, millis);
  }

  /** A class and its probability. */
  public record ClassProbability(String label, double probability) {}

  /** Which model answered. */
  public record ModelRef(String name, String version) {}
}
