package io.cifarserve.benchmarks.inprocess;

import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * How long JMH measures. The full effort forks a JVM per benchmark and parameter set, so one
 * measurement's JIT profile does not colour the next; the quick one only proves every benchmark
 * still runs.
 */
public record Effort(
    int forks,
    int warmupIterations,
    int seconds,
    int measurementIterations,
    int singleShotWarmups,
    int singleShots) {

  public static final Effort FULL = new Effort(1, 3, 2, 5, 1, 3);
  public static final Effort QUICK = new Effort(0, 1, 1, 1, 0, 1);

  ChainedOptionsBuilder throughput(ChainedOptionsBuilder options) {
    return options
        .forks(forks)
        .warmupIterations(warmupIterations)
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(measurementIterations)
        .measurementTime(TimeValue.seconds(seconds));
  }

  ChainedOptionsBuilder singleShot(ChainedOptionsBuilder options) {
    return options
        .forks(forks)
        .warmupIterations(singleShotWarmups)
        .measurementIterations(singleShots);
  }
}
