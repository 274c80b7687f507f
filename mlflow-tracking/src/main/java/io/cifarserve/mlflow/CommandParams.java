package io.cifarserve.mlflow;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option and positional parameter of a parsed command line, given or defaulted, as MLflow
 * parameters named by the long option without its dashes ({@code --lr} is {@code lr}).
 */
public final class CommandParams {

  private CommandParams() {}

  public static Map<String, String> of(CommandSpec spec) {
    Map<String, String> params = new LinkedHashMap<>();
    for (OptionSpec option : spec.options()) {
      if (!option.usageHelp() && !option.versionHelp()) {
        put(params, option.longestName().replaceFirst("^-+", ""), option);
      }
    }
    spec.positionalParameters()
        .forEach(
            positional -> put(params, positional.paramLabel().replaceAll("[<>]", ""), positional));
    return params;
  }

  private static void put(Map<String, String> params, String name, ArgSpec arg) {
    Object value = arg.getValue();
    if (value != null) {
      params.put(name, String.valueOf(value));
    }
  }
}
