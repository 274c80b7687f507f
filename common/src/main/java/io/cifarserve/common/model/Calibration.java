package io.cifarserve.common.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a model's logits become answers people can trust: a softmax temperature fitted after training
 * (so probabilities match how often the model is right), and a confidence score with a threshold
 * under which the answer is "unsure" (the picture may be none of the classes).
 *
 * <p>Stored in the ONNX metadata. A model without these entries gets {@link #NONE}: temperature 1
 * and never unsure, which is how models were served before calibration existed.
 *
 * @param temperature logits are divided by it before the softmax; positive
 * @param score which confidence score the threshold applies to
 * @param threshold scores below it are unsure; {@code -Infinity} when none was chosen
 */
public record Calibration(double temperature, Score score, double threshold) {

  static final String TEMPERATURE = "calibration_temperature";
  static final String SCORE = "unsure_score";
  static final String THRESHOLD = "unsure_threshold";

  /** Uncalibrated: plain softmax, no answer is ever unsure. */
  public static final Calibration NONE =
      new Calibration(1, Score.MAX_PROBABILITY, Double.NEGATIVE_INFINITY);

  /** A confidence score computed from one row of logits: higher means more confident. */
  public enum Score {
    /** The largest calibrated probability. */
    MAX_PROBABILITY,
    /**
     * Negative free energy, {@code T * log(sum(exp(logit / T)))}: unlike a probability it keeps how
     * large the logits are overall, which tends to be smaller for pictures unlike the training
     * data.
     */
    ENERGY;

    /** The name used in metadata and in API responses. */
    @JsonValue
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Score of(String id) {
      for (Score score : values()) {
        if (score.id().equals(id)) {
          return score;
        }
      }
      throw new IllegalArgumentException(
          "unknown confidence score '" + id + "'; known: max_probability, energy");
    }
  }

  public Calibration {
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be positive, was " + temperature);
    }
    if (score == null) {
      throw new IllegalArgumentException("a confidence score is required");
    }
    if (Double.isNaN(threshold) || threshold == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("threshold must be a number, was " + threshold);
    }
  }

  /** Whether a threshold was chosen, so answers can be unsure. */
  public boolean flagsUnsure() {
    return threshold != Double.NEGATIVE_INFINITY;
  }

  /** Softmax of {@code logits / temperature}, computed stably. */
  public float[] probabilities(float[] logits) {
    double max = max(logits);
    double[] scaled = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      scaled[i] = Math.exp((logits[i] - max) / temperature);
      sum += scaled[i];
    }
    float[] probabilities = new float[logits.length];
    for (int i = 0; i < logits.length; i++) {
      probabilities[i] = (float) (scaled[i] / sum);
    }
    return probabilities;
  }

  /** This calibration's confidence score for one row of logits. */
  public double score(float[] logits) {
    return score(score, logits);
  }

  /** A confidence score for one row of logits, at this temperature. */
  public double score(Score kind, float[] logits) {
    double max = max(logits);
    double sum = 0;
    for (float logit : logits) {
      sum += Math.exp((logit - max) / temperature);
    }
    return switch (kind) {
      // The largest probability is exp(0) / sum once the largest logit is subtracted; rounded to
      // float as probabilities() rounds it, so the API reports one number for both.
      case MAX_PROBABILITY -> (float) (1 / sum);
      case ENERGY -> max + temperature * Math.log(sum);
    };
  }

  /** Whether an answer with this score should be given as unsure. */
  public boolean unsure(double score) {
    return score < threshold;
  }

  /** The same calibration with another threshold. */
  public Calibration withThreshold(double newThreshold) {
    return new Calibration(temperature, score, newThreshold);
  }

  void writeTo(Map<String, String> props) {
    if (equals(NONE)) {
      return;
    }
    props.put(TEMPERATURE, Double.toString(temperature));
    props.put(SCORE, score.id());
    if (flagsUnsure()) {
      props.put(THRESHOLD, Double.toString(threshold));
    }
  }

  static Calibration readFrom(Map<String, String> props) {
    double temperature =
        Optional.ofNullable(props.get(TEMPERATURE)).map(Double::parseDouble).orElse(1.0);
    Score score =
        Optional.ofNullable(props.get(SCORE)).map(Score::of).orElse(Score.MAX_PROBABILITY);
    double threshold =
        Optional.ofNullable(props.get(THRESHOLD))
            .map(Double::parseDouble)
            .orElse(Double.NEGATIVE_INFINITY);
    return new Calibration(temperature, score, threshold);
  }

  private static double max(float[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
