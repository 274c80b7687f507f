package io.cifarserve.inference.predict;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** The answer for one image. */
public record PredictionResponse(
    @Schema(description = "Predicted class", example = "cat") String label,
    @Schema(description = "Index of the predicted class in the model's labels", example = "3")
        int classIndex,
    @Schema(description = "Softmax probability of the predicted class", example = "0.87")
        double probability,
    @Schema(description = "The k most probable classes, best first") List<ClassProbability> topK,
    ModelRef model,
    @Schema(description = "Server time from decoded image to result, milliseconds")
        double inferenceMillis) {

  /** A class and its probability. */
  public record ClassProbability(String label, double probability) {}

  /** Which model answered. */
  public record ModelRef(String name, String version) {}
}
