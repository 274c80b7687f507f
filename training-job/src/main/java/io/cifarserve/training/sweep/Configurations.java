package io.cifarserve.training.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The configurations a sweep file describes, in a fixed order every task computes alike: a grid's
 * combinations (the last parameter varying fastest), or a random search's draws from its seed.
 */
public final class Configurations {

  private Configurations() {}

  public static List<Configuration> of(SweepSpec spec) {
    return spec.search().equals("grid") ? grid(spec) : random(spec);
  }

  /** The configurations task {@code index} of {@code count} trains: every count-th from index. */
  public static List<Configuration> share(List<Configuration> all, int index, int count) {
    if (count < 1 || index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "task %d of %d: the index must be from 0 to count - 1".formatted(index, count));
    }
    return all.stream().filter(c -> c.index() % count == index).toList();
  }

  private static List<Configuration> grid(SweepSpec spec) {
    List<Map<String, Object>> points = List.of(new LinkedHashMap<>());
    for (Map.Entry<String, Object> parameter : spec.parameters().entrySet()) {
      List<Map<String, Object>> next = new ArrayList<>();
      for (Map<String, Object> point : points) {
        for (Object value : values(parameter.getKey(), parameter.getValue())) {
          Map<String, Object> extended = new LinkedHashMap<>(point);
          extended.put(parameter.getKey(), value);
          next.add(extended);
        }
      }
      points = next;
    }
    List<Configuration> configurations = new ArrayList<>();
    for (int i = 0; i < points.size(); i++) {
      configurations.add(new Configuration(i, points.get(i)));
    }
    return configurations;
  }

  private static List<Configuration> random(SweepSpec spec) {
    Random random = new Random(spec.seed() == null ? 0 : spec.seed());
    List<Configuration> configurations = new ArrayList<>();
    for (int i = 0; i < spec.trials(); i++) {
      Map<String, Object> point = new LinkedHashMap<>();
      spec.parameters().forEach((name, domain) -> point.put(name, draw(name, domain, random)));
      configurations.add(new Configuration(i, point));
    }
    return configurations;
  }

  private static List<?> values(String name, Object domain) {
    if (domain instanceof List<?> list && !list.isEmpty()) {
      return list;
    }
    throw new IllegalArgumentException(
        "grid parameter '%s' needs a list of values, was %s".formatted(name, domain));
  }

  private static Object draw(String name, Object domain, Random random) {
    if (domain instanceof List<?> list && !list.isEmpty()) {
      return list.get(random.nextInt(list.size()));
    }
    if (domain instanceof Map<?, ?> range
        && range.get("min") instanceof Number min
        && range.get("max") instanceof Number max) {
      boolean log = "log".equals(range.get("scale"));
      if (min instanceof Integer && max instanceof Integer && !log) {
        return min.intValue() + random.nextInt(max.intValue() - min.intValue() + 1);
      }
      double u = random.nextDouble();
      return log
          ? Math.exp(
              Math.log(min.doubleValue())
                  + u * (Math.log(max.doubleValue()) - Math.log(min.doubleValue())))
          : min.doubleValue() + u * (max.doubleValue() - min.doubleValue());
    }
    throw new IllegalArgumentException(
        "random parameter '%s' needs a list of values or {min, max, scale: linear|log}, was %s"
            .formatted(name, domain));
  }
}
