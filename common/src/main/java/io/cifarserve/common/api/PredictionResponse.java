package io.cifarserve.common.api;

import io.cifarserve.common.model.Calibration;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.model.Ranking;
import java.util.ArrayList;
import java.util.List;

/**
 * The inference API's answer for one image ({@code POST /api/v1/predict}).
 *
 * @param label predicted class
 * @param classIndex its index in the model's labels
 * @param probability its probability, calibrated when the model carries a temperature
 * @param topK the k most probable classes, best first
 * @param confidence the confidence score behind {@code unsure}
 * @param unsure the score is below the model's threshold: the picture may be none of the classes,
 *     so {@code label} is only the best guess
 * @param model which model answered
 * @param inferenceMillis server time from decoded image to result
 */
public record PredictionResponse(
    String label,
    int classIndex,
    double probability,
    List<ClassProbability> topK,
    Confidence confidence,
    boolean unsure,
    ModelRef model,
    double inferenceMillis) {

  /** The answer a row of logits gives under the model's calibration. */
  public static PredictionResponse rank(
      float[] logits, ModelMetadata metadata, int k, double millis) {
    Calibration calibration = metadata.calibration();
    float[] probabilities = calibration.probabilities(logits);
    List<String> labels = metadata.labels();
    List<ClassProbability> top = new ArrayList<>();
    for (int index : Ranking.topK(probabilities, k)) {
      top.add(new ClassProbability(labels.get(index), probabilities[index]));
    }
    int best = Ranking.argmax(probabilities);
    double score = calibration.score(logits);
    return new PredictionResponse(
        labels.get(best),
        best,
        probabilities[best],
        top,
        Confidence.of(calibration, score),
        calibration.unsure(score),
        new ModelRef(metadata.name(), metadata.version()),
        millis);
  }

  /** A class and its probability. */
  public record ClassProbability(String label, double probability) {}

  /** Which model answered. */
  public record ModelRef(String name, String version) {}

  /**
   * A confidence score and what it is compared with.
   *
   * @param score {@code max_probability} or {@code energy}
   * @param value the score of this answer; higher is more confident
   * @param threshold below it the answer is unsure; null when the model has none
   * @param temperature the softmax temperature the probabilities were computed at
   */
  public record Confidence(String score, double value, Double threshold, double temperature) {

    static Confidence of(Calibration calibration, double value) {
      CalibrationInfo info = CalibrationInfo.of(calibration);
      return new Confidence(info.score(), value, info.threshold(), info.temperature());
    }
  }
}
