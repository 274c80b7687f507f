package io.cifarserve.training.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A hyperparameter search, as written in a sweep's YAML file.
 *
 * @param search {@code grid} (every combination of the listed values) or {@code random}
 * @param trials random search: how many configurations to draw
 * @param seed random search: the seed they are drawn with, so every task draws the same ones
 * @param base the train options every configuration gets, by long name without dashes
 * @param parameters the options searched over: a list of values, or for random search also a range
 *     {@code {min: A, max: B, scale: log}}
 */
public record SweepSpec(
    String search,
    Integer trials,
    Long seed,
    Map<String, Object> base,
    Map<String, Object> parameters) {

  /** Options a sweep sets itself, or that would leak a decision out of it. */
  static final Set<String> RESERVED = Set.of("run-dir", "resume", "publish-to", "force", "help");

  public SweepSpec {
    base = base == null ? Map.of() : new LinkedHashMap<>(base);
    parameters = parameters == null ? Map.of() : new LinkedHashMap<>(parameters);
  }

  public static SweepSpec read(Path file) {
    YAMLMapper yaml =
        YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    SweepSpec spec;
    try {
      spec = yaml.readValue(Files.readString(file), SweepSpec.class);
    } catch (IOException | JacksonException e) {
      throw new IllegalArgumentException(
          "cannot read the sweep " + file + ": " + e.getMessage(), e);
    }
    spec.validate(file);
    return spec;
  }

  private void validate(Path file) {
    if (!List.of("grid", "random").contains(search)) {
      throw new IllegalArgumentException(file + ": search must be grid or random, was " + search);
    }
    if (search.equals("random") && (trials == null || trials < 1)) {
      throw new IllegalArgumentException(file + ": a random search needs trials of at least 1");
    }
    if (parameters.isEmpty()) {
      throw new IllegalArgumentException(file + ": no parameters to search over");
    }
    for (String name : List.copyOf(concat())) {
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException(
            file + ": '" + name + "' is set by the sweep itself, not by its file");
      }
    }
    if (Double.valueOf(0).equals(number(base.get("validation-fraction")))) {
      throw new IllegalArgumentException(
          file + ": the sweep picks by validation accuracy, so validation-fraction cannot be 0");
    }
  }

  private List<String> concat() {
    List<String> names = new java.util.ArrayList<>(base.keySet());
    names.addAll(parameters.keySet());
    return names;
  }

  private static Double number(Object value) {
    return value instanceof Number n ? n.doubleValue() : null;
  }
}
