package io.cifarserve.benchmarks;

import io.cifarserve.benchmarks.http.LoadGenerator;
import io.cifarserve.benchmarks.http.MemoryBound;
import io.cifarserve.benchmarks.http.PredictLoad;
import io.cifarserve.benchmarks.http.ReloadSoak;
import io.cifarserve.benchmarks.http.ServiceUnderTest;
import io.cifarserve.benchmarks.inprocess.Effort;
import io.cifarserve.benchmarks.inprocess.InProcessBenchmarks;
import io.cifarserve.common.report.Commit;
import io.cifarserve.common.report.DatedReport;
import io.cifarserve.common.report.Machine;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the benchmarks and writes one dated report per suite. Run from the repository root, after
 * {@code ./mvnw package}: it measures the jars and models the build left there.
 */
@Command(
    name = "benchmarks",
    mixinStandardHelpOptions = true,
    description = "Measures cifar-serve and writes dated reports (docs/benchmarks/ by default).")
public final class Benchmarks implements Callable<Integer> {

  /** The suites, each its own report. */
  enum Suite {
    IN_PROCESS("in-process", "in-process", "In-process ONNX Runtime (JMH)"),
    PREDICT_DIR("predict-dir", "predict-dir", "predict-dir against the single-image loop (JMH)"),
    HTTP("http", "http-load", "POST /api/v1/predict under load"),
    MEMORY("memory", "memory-bound", "Peak memory under the heaviest requests"),
    RELOAD_SOAK("reload-soak", "reload-soak", "Hot reloads under load");

    final String option;
    final String report;
    final String title;

    Suite(String option, String report, String title) {
      this.option = option;
      this.report = report;
      this.title = title;
    }

    @Override
    public String toString() {
      return option;
    }
  }

  @Option(
      names = "--quick",
      description =
          "Seconds instead of minutes, reports under benchmarks/target/reports: proves every benchmark still runs.")
  boolean quick;

  @Option(
      names = "--only",
      split = ",",
      description = "Suites to run: ${COMPLETION-CANDIDATES} (default: all).")
  List<Suite> only;

  @Option(names = "--reports", description = "Where reports go (default: docs/benchmarks).")
  Path reports;

  @Option(
      names = "--models",
      defaultValue = "models",
      description = "The float and int8 models (default: ${DEFAULT-VALUE}).")
  Path models;

  @Option(
      names = "--images",
      description =
          "Pictures for predict-dir (default: data/test, the unpacked CIFAR-10 test set).")
  Path images;

  @Option(
      names = "--service-jar",
      description =
          "The inference service's jar (default: inference-service/target/inference-service-*-exec.jar).")
  Path serviceJar;

  @Option(
      names = "--memory-env",
      defaultValue = "dockerfiles/memory.env",
      description =
          "The service's memory settings, as run.sh reads them (default: ${DEFAULT-VALUE}).")
  Path memoryEnv;

  @Option(
      names = "--url",
      description =
          "Load a service already running there (a container, say) instead of starting one.")
  String url;

  @Option(names = "--seconds", description = "Seconds per HTTP row (default 8; quick 1).")
  Integer seconds;

  @Option(
      names = "--clients",
      split = ",",
      description = "Concurrent clients per HTTP row (default 1,8,32; quick 1,8).")
  List<Integer> clients;

  @Option(
      names = "--overload-rounds",
      description = "Overload rounds after the HTTP rows (default 3; quick 1).")
  Integer overloadRounds;

  @Option(
      names = "--memory-seconds",
      description = "Seconds per mix in the memory bound (default 15; quick 1).")
  Integer memorySeconds;

  @Option(names = "--reloads", description = "Reloads in the soak (default 100; quick 3).")
  Integer reloads;

  private final List<String> arguments;

  Benchmarks(List<String> arguments) {
    this.arguments = arguments;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Benchmarks(List.of(args))).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Machine machine = Machine.current();
    String commit = Commit.describe();
    Path folder =
        reports != null
            ? reports
            : Path.of(quick ? "benchmarks/target/reports" : "docs/benchmarks");
    double baseline = Double.NaN;
    // In declaration order: the in-process figures are the HTTP rows' baseline.
    for (Suite suite : only == null ? EnumSet.allOf(Suite.class) : EnumSet.copyOf(only)) {
      DatedReport report = new DatedReport(suite.title, command());
      switch (suite) {
        case IN_PROCESS -> baseline = inProcess(report);
        case PREDICT_DIR -> predictDir(report);
        case HTTP -> http(report, baseline);
        case MEMORY ->
            report.add(
                new MemoryBound(Duration.ofSeconds(or(memorySeconds, 15, 1)))
                    .measure(jar(), memory()));
        case RELOAD_SOAK ->
            report.add(new ReloadSoak(or(reloads, 100, 3)).measure(jar(), memory()));
      }
      report.write(folder, suite.report, machine, commit);
    }
    return 0;
  }

  private double inProcess(DatedReport report) throws Exception {
    InProcessBenchmarks jmh = new InProcessBenchmarks(effort(), models);
    InProcessBenchmarks.Classifiers classifiers = jmh.classifiers();
    report.add(
        "The shipped models as the service runs them (`OnnxClassifier`), pictures per second:");
    report.add(classifiers.table());
    report.add(
        "Session settings for the float model, one changed at a time against the service's:");
    report.add(jmh.sessionSettings());
    return classifiers.floatBatchOne();
  }

  private void predictDir(DatedReport report) throws Exception {
    Path pictures = images;
    if (pictures == null) {
      pictures =
          quick
              ? Pictures.folder(Files.createTempDirectory("benchmark-pictures"), 64)
              : Path.of("data/test");
    }
    if (!Files.isDirectory(pictures)) {
      throw new CommandLine.ParameterException(
          new CommandLine(this),
          pictures
              + " is not a folder: unpack the test set (docs/training.md) or pass --images DIR");
    }
    report.add(new InProcessBenchmarks(effort(), models).predictDir(pictures));
  }

  private void http(DatedReport report, double baseline) throws Exception {
    Duration row = Duration.ofSeconds(or(seconds, 8, 1));
    List<Integer> users = clients != null ? clients : quick ? List.of(1, 8) : List.of(1, 8, 32);
    PredictLoad load =
        new PredictLoad(
            new LoadGenerator(Pictures.smallPngs(64), row),
            users,
            or(overloadRounds, 3, 1),
            Duration.ofSeconds(quick ? 2 : 10));
    if (url != null) {
      report.add(load.measureRunning(url));
      return;
    }
    if (Double.isNaN(baseline)) {
      report.add("No in-process baseline in this run (`--only` left `in-process` out).");
    }
    report.add(load.measure(jar(), models, memory(), baseline));
  }

  private Effort effort() {
    return quick ? Effort.QUICK : Effort.FULL;
  }

  private int or(Integer given, int full, int quickValue) {
    return given != null ? given : quick ? quickValue : full;
  }

  private Map<String, String> memory() throws IOException {
    return ServiceUnderTest.memorySettings(memoryEnv);
  }

  private Path jar() throws IOException {
    if (serviceJar != null) {
      return serviceJar;
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> jars =
        Files.newDirectoryStream(
            Path.of("inference-service/target"), "inference-service-*-exec.jar")) {
      jars.forEach(found::add);
    } catch (IOException notBuilt) {
      // reported below
    }
    if (found.size() != 1) {
      throw new IllegalStateException(
          "no single inference-service/target/inference-service-*-exec.jar: build it first"
              + " (./mvnw -pl inference-service -am package -DskipTests) or pass --service-jar");
    }
    return found.get(0);
  }

  private String command() {
    return ("java -jar benchmarks/target/benchmarks-*.jar " + String.join(" ", arguments)).strip();
  }
}
