package io.cifarserve.benchmarks.inprocess;

import io.cifarserve.common.report.Table;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs the JMH benchmarks and turns their scores into tables of pictures per second and ratios. */
public final class InProcessBenchmarks {

  static final String FLOAT = "cifar10-resnet18.onnx";
  static final String INT8 = "cifar10-resnet18-int8.onnx";

  private final Effort effort;
  private final Path models;

  public InProcessBenchmarks(Effort effort, Path models) {
    this.effort = effort;
    this.models = models;
  }

  /** The classifier's rows; {@link Classifiers#floatBatchOne()} is the HTTP rows' baseline. */
  public Classifiers classifiers() throws RunnerException {
    ChainedOptionsBuilder options =
        only(ClassifierThroughput.class).param("models", models.toString());
    return new Classifiers(new Runner(effort.throughput(options).build()).run());
  }

  public String sessionSettings() throws RunnerException {
    ChainedOptionsBuilder options =
        only(SessionSettings.class).param("model", models.resolve(FLOAT).toString());
    Collection<RunResult> results = new Runner(effort.throughput(options).build()).run();
    double[] base = new double[2];
    Table table = new Table("setting", "batch 1 images/s", "ratio", "batch 32 images/s", "ratio");
    for (SessionSettings.Setting setting : SessionSettings.Setting.values()) {
      double one = score(results, "setting", setting.name(), "batch", "1");
      double many = 32 * score(results, "setting", setting.name(), "batch", "32");
      if (setting == SessionSettings.Setting.SERVICE) {
        base = new double[] {one, many};
      }
      table.row(
          setting.description,
          round(one),
          ratio(one / base[0]),
          round(many),
          ratio(many / base[1]));
    }
    return table.markdown();
  }

  /** predict-dir against the single-image loop over every picture in {@code images}. */
  public String predictDir(Path images) throws Exception {
    int pictures = PredictDirThroughput.files(images).size();
    ChainedOptionsBuilder options =
        only(PredictDirThroughput.class)
            .param("model", models.resolve(FLOAT).toString())
            .param("images", images.toString());
    Collection<RunResult> results = new Runner(effort.singleShot(options).build()).run();
    int cores = Runtime.getRuntime().availableProcessors();
    double single = pictures / score(results, "route", "SINGLE_IMAGE_LOOP");
    double one = pictures / score(results, "route", "PREDICT_DIR_ONE_DECODER");
    double every = pictures / score(results, "route", "PREDICT_DIR_EVERY_CORE");
    return "%,d pictures in %s, float model.%n%n".formatted(pictures, images)
        + new Table("path", "images/s", "ratio to the single-image loop")
            .row("single-image loop (batch 1, one thread)", round(single), ratio(1))
            .row("predict-dir, batch 64, 1 decoding thread", round(one), ratio(one / single))
            .row(
                "predict-dir, batch 64, %d decoding threads".formatted(cores),
                round(every),
                ratio(every / single))
            .markdown();
  }

  /** The float and int8 models at batch 1 and 32, in pictures per second. */
  public record Classifiers(Collection<RunResult> results) {

    public double imagesPerSecond(String model, int batch) {
      return batch * score(results, "model", model, "batch", Integer.toString(batch));
    }

    public double floatBatchOne() {
      return imagesPerSecond(FLOAT, 1);
    }

    public String table() {
      Table table =
          new Table(
              "batch", "float images/s", "ratio to float batch 1", "int8 images/s", "int8 / float");
      for (int batch : List.of(1, 32)) {
        double f = imagesPerSecond(FLOAT, batch);
        double q = imagesPerSecond(INT8, batch);
        table.row(batch, round(f), ratio(f / floatBatchOne()), round(q), ratio(q / f));
      }
      return table.markdown();
    }
  }

  private static ChainedOptionsBuilder only(Class<?> benchmark) {
    return new OptionsBuilder()
        .include("^" + Pattern.quote(benchmark.getName()) + "\\.")
        .shouldFailOnError(true);
  }

  /** The primary score of the one result whose parameters have the given values. */
  static double score(Collection<RunResult> results, String... namesAndValues) {
    List<RunResult> matching =
        results.stream()
            .filter(
                result -> {
                  for (int i = 0; i < namesAndValues.length; i += 2) {
                    String value = result.getParams().getParam(namesAndValues[i]);
                    if (!namesAndValues[i + 1].equals(value)) {
                      return false;
                    }
                  }
                  return true;
                })
            .toList();
    if (matching.size() != 1) {
      throw new IllegalStateException(
          matching.size() + " results for " + String.join(" ", namesAndValues));
    }
    Result<?> primary = matching.get(0).getPrimaryResult();
    return primary.getScore();
  }

  static String round(double value) {
    return String.format(Locale.ROOT, "%.0f", value);
  }

  static String ratio(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
