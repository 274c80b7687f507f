package io.cifarserve.common.model;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a model says about itself, stored in the ONNX file's {@code metadata_props} so the file is
 * the single artefact that travels from training to serving.
 *
 * @param name model name, e.g. {@code cifar10-resnet18}
 * @param version model version, e.g. a timestamp or semantic version
 * @param architecture network and variant, e.g. {@code resnet18/cifar-stem}
 * @param inputSize side of the square input in pixels
 * @param labels class names in output order
 * @param mean per-channel mean used for normalisation (pixels in [0, 1])
 * @param std per-channel standard deviation used for normalisation
 * @param trainingData what the model was trained on, in words a user can check
 * @param metrics measured numbers, e.g. {@code test_accuracy}; keys sorted
 * @param createdAt when the model was exported
 * @param modelCard the model card in Markdown (may be empty)
 * @param calibration temperature and unsure threshold; {@link Calibration#NONE} for models exported
 *     before calibration existed
 */
public record ModelMetadata(
    String name,
    String version,
    String architecture,
    int inputSize,
    List<String> labels,
    List<Float> mean,
    List<Float> std,
    String trainingData,
    Map<String, Double> metrics,
    Instant createdAt,
    String modelCard,
    Calibration calibration) {

  static final String NAME = "model_name";
  static final String VERSION = "model_version";
  static final String ARCHITECTURE = "architecture";
  static final String INPUT_SIZE = "input_size";
  static final String LABELS = "labels";
  static final String MEAN = "mean";
  static final String STD = "std";
  static final String TRAINING_DATA = "training_data";
  static final String CREATED_AT = "created_at";
  static final String MODEL_CARD = "model_card";
  static final String METRIC_PREFIX = "metric.";

  public ModelMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(architecture, "architecture");
    Objects.requireNonNull(trainingData, "trainingData");
    Objects.requireNonNull(createdAt, "createdAt");
    if (inputSize <= 0) {
      throw new IllegalArgumentException("inputSize must be positive, was " + inputSize);
    }
    labels = List.copyOf(labels);
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one label");
    }
    for (String label : labels) {
      if (label.isBlank() || label.contains(",")) {
        throw new IllegalArgumentException("labels must be non-blank and free of commas: " + label);
      }
    }
    mean = List.copyOf(mean);
    std = List.copyOf(std);
    if (mean.size() != 3 || std.size() != 3) {
      throw new IllegalArgumentException("mean and std need one value per RGB channel");
    }
    metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
    modelCard = modelCard == null ? "" : modelCard;
    calibration = calibration == null ? Calibration.NONE : calibration;
  }

  /** The same metadata with other metrics and model card, e.g. after evaluation. */
  public ModelMetadata withEvaluation(Map<String, Double> newMetrics, String newModelCard) {
    return withCalibration(calibration, newMetrics, newModelCard);
  }

  /** The same metadata with a calibration, and the metrics and card that report it. */
  public ModelMetadata withCalibration(
      Calibration newCalibration, Map<String, Double> newMetrics, String newModelCard) {
    return new ModelMetadata(
        name,
        version,
        architecture,
        inputSize,
        labels,
        mean,
        std,
        trainingData,
        newMetrics,
        createdAt,
        newModelCard,
        newCalibration);
  }

  /** A metric by name, if measured. */
  public Optional<Double> metric(String key) {
    return Optional.ofNullable(metrics.get(key));
  }

  /** The ONNX {@code metadata_props} entries for this metadata. */
  public Map<String, String> toProperties() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put(NAME, name);
    props.put(VERSION, version);
    props.put(ARCHITECTURE, architecture);
    props.put(INPUT_SIZE, Integer.toString(inputSize));
    props.put(LABELS, String.join(",", labels));
    props.put(MEAN, joinFloats(mean));
    props.put(STD, joinFloats(std));
    props.put(TRAINING_DATA, trainingData);
    props.put(CREATED_AT, createdAt.toString());
    calibration.writeTo(props);
    metrics.forEach((key, value) -> props.put(METRIC_PREFIX + key, Double.toString(value)));
    if (!modelCard.isEmpty()) {
      props.put(MODEL_CARD, modelCard);
    }
    return props;
  }

  /**
   * Reads metadata back from ONNX {@code metadata_props}.
   *
   * @throws InvalidModelMetadataException a required entry is missing or malformed
   */
  public static ModelMetadata fromProperties(Map<String, String> props) {
    try {
      Map<String, Double> metrics = new TreeMap<>();
      props.forEach(
          (key, value) -> {
            if (key.startsWith(METRIC_PREFIX)) {
              metrics.put(key.substring(METRIC_PREFIX.length()), Double.parseDouble(value));
            }
          });
      return new ModelMetadata(
          required(props, NAME),
          required(props, VERSION),
          required(props, ARCHITECTURE),
          Integer.parseInt(required(props, INPUT_SIZE)),
          List.of(required(props, LABELS).split(",")),
          parseFloats(required(props, MEAN)),
          parseFloats(required(props, STD)),
          required(props, TRAINING_DATA),
          metrics,
          Instant.parse(required(props, CREATED_AT)),
          props.getOrDefault(MODEL_CARD, ""),
          Calibration.readFrom(props));
    } catch (InvalidModelMetadataException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidModelMetadataException("model metadata is malformed: " + e.getMessage(), e);
    }
  }

  private static String required(Map<String, String> props, String key) {
    String value = props.get(key);
    if (value == null || value.isBlank()) {
      throw new InvalidModelMetadataException(
          "model metadata lacks '" + key + "'; is this a model exported by cifar-serve?", null);
    }
    return value;
  }

  private static String joinFloats(List<Float> values) {
    return String.join(",", values.stream().map(v -> Float.toString(v)).toList());
  }

  private static List<Float> parseFloats(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).map(Float::valueOf).toList();
  }
}
