package io.cifarserve.training.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One point of a sweep: its name ({@code config-007}), and the train options it runs with.
 *
 * @param values the searched options' values, by option name
 */
public record Configuration(int index, Map<String, Object> values) {

  public Configuration {
    values = new LinkedHashMap<>(values);
  }

  public String name() {
    return "config-%03d".formatted(index);
  }

  /** The train command line: base options, then this point's, then its run folder. */
  public List<String> trainArguments(Map<String, Object> base, Path runDir) {
    List<String> args = new ArrayList<>(List.of("train"));
    Map<String, Object> all = new LinkedHashMap<>(base);
    all.putAll(values);
    all.forEach((name, value) -> args.addAll(option(name, value)));
    args.addAll(List.of("--run-dir", runDir.toString()));
    return args;
  }

  /** {@code --name value}; a boolean is {@code --name} or {@code --no-name}. */
  private static List<String> option(String name, Object value) {
    if (value instanceof Boolean flag) {
      return List.of(flag ? "--" + name : "--no-" + name);
    }
    return List.of("--" + name, String.valueOf(value));
  }
}
