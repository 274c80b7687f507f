package io.cifarserve.benchmarks.http;

import io.cifarserve.common.report.Table;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Throughput and latency of {@code POST /api/v1/predict} with 32x32 PNGs: batching off and on, the
 * float and the int8 model, at several numbers of clients, then overload held against capacity. The
 * load generator shares the machine with the service, as a sidecar would.
 */
public final class PredictLoad {

  /** Past the service's places (32 single-picture requests and as many waiting). */
  private static final int[] OVERLOAD = {128, 512};

  /** The figure the overload rows are held against: clients as many as the places. */
  private static final int AT_CAPACITY = 32;

  private final LoadGenerator generator;
  private final List<Integer> clients;
  private final int overloadRounds;
  private final Duration serviceWarmup;

  /**
   * @param serviceWarmup load on each started service before its first row, so that no row is
   *     measured on a colder JIT than the others
   */
  public PredictLoad(
      LoadGenerator generator, List<Integer> clients, int overloadRounds, Duration serviceWarmup) {
    this.generator = generator;
    this.clients = List.copyOf(clients);
    this.overloadRounds = overloadRounds;
    this.serviceWarmup = serviceWarmup;
  }

  /**
   * Starts the service from {@code jar} on both models in {@code models}, once with batching off
   * and once on. {@code baseline}: the float model in process at batch 1, in pictures per second
   * (NaN when not measured in this run).
   */
  public String measure(Path jar, Path models, Map<String, String> memory, double baseline)
      throws Exception {
    Table rows =
        new Table(
            "model",
            "batching",
            "clients",
            "requests/s",
            "p50 ms",
            "p99 ms",
            "ratio to in-process float, batch 1",
            "503 share");
    String overload = "";
    for (boolean batching : new boolean[] {false, true}) {
      Map<String, String> environment = new HashMap<>(memory);
      environment.put("MODEL_PATH", models.toString());
      environment.put("INFERENCE_MODEL_WATCH", "false");
      environment.put("INFERENCE_BATCHING_ENABLED", Boolean.toString(batching));
      environment.put("INFERENCE_BATCHING_QUEUECAPACITY", "1024");
      try (ServiceUnderTest service = ServiceUnderTest.start(jar, environment)) {
        // With batching on, the int8 model too: with it off the float rows are the comparison.
        List<String> served =
            batching
                ? List.of("cifar10-resnet18", "cifar10-resnet18-int8")
                : List.of("cifar10-resnet18");
        for (String model : served) {
          URI predict = URI.create(service.base() + "/api/v1/predict?model=" + model);
          generator.warmUp(predict, serviceWarmup);
          for (int users : clients) {
            LoadGenerator.Result result = generator.load(predict, users);
            rows.row(
                model,
                batching ? "on" : "off",
                users,
                f0(result.perSecond()),
                f1(result.p50()),
                f1(result.p99()),
                Double.isNaN(baseline) ? "" : f2(result.perSecond() / baseline),
                f1(result.shedPercent()) + "%");
          }
        }
        if (batching) {
          overload = overloadRounds(URI.create(service.base() + "/api/v1/predict"));
        }
      }
    }
    return rows.markdown() + "\n" + overload;
  }

  /** The rows against a service started elsewhere (a container, for one). */
  public String measureRunning(String url) throws Exception {
    ServiceUnderTest.awaitReady(url, Duration.ofSeconds(60));
    URI predict = URI.create(url + "/api/v1/predict");
    generator.warmUp(predict, serviceWarmup);
    Table rows = new Table("service", "clients", "requests/s", "p50 ms", "p99 ms", "503 share");
    for (int users : clients) {
      LoadGenerator.Result result = generator.load(predict, users);
      rows.row(
          url,
          users,
          f0(result.perSecond()),
          f1(result.p50()),
          f1(result.p99()),
          f1(result.shedPercent()) + "%");
    }
    return rows.markdown() + "\n" + overloadRounds(predict);
  }

  /**
   * Rounds of 32 clients, each overload row in turn, and 32 clients again, so that every ratio
   * compares rows seconds apart: a small machine drifts by 10-20% over minutes, more than the
   * effect measured. The median over rounds is the figure to read.
   */
  private String overloadRounds(URI predict) throws Exception {
    if (overloadRounds <= 0) {
      return "";
    }
    Table table =
        new Table(
            "overload round",
            "clients",
            "requests/s",
            "ratio to %d clients".formatted(AT_CAPACITY),
            "p99 ms",
            "p99 ratio",
            "503 share");
    List<List<Double>> throughput = new ArrayList<>();
    List<List<Double>> latency = new ArrayList<>();
    for (int row = 0; row < OVERLOAD.length; row++) {
      throughput.add(new ArrayList<>());
      latency.add(new ArrayList<>());
    }
    for (int round = 1; round <= overloadRounds; round++) {
      LoadGenerator.Result before = generator.load(predict, AT_CAPACITY);
      List<LoadGenerator.Result> over = new ArrayList<>();
      for (int users : OVERLOAD) {
        over.add(generator.load(predict, users));
      }
      LoadGenerator.Result after = generator.load(predict, AT_CAPACITY);
      // The capacity figure is the mean of one run before and one after: drift cancels out.
      double basePerSecond = (before.perSecond() + after.perSecond()) / 2;
      double baseP99 = (before.p99() + after.p99()) / 2;
      table.row(
          round,
          AT_CAPACITY + " (before, after)",
          f0(before.perSecond()) + ", " + f0(after.perSecond()),
          "1.00",
          f1(before.p99()) + ", " + f1(after.p99()),
          "1.00",
          f1(Math.max(before.shedPercent(), after.shedPercent())) + "%");
      for (int row = 0; row < OVERLOAD.length; row++) {
        LoadGenerator.Result result = over.get(row);
        throughput.get(row).add(result.perSecond() / basePerSecond);
        latency.get(row).add(result.p99() / baseP99);
        table.row(
            round,
            OVERLOAD[row],
            f0(result.perSecond()),
            f2(result.perSecond() / basePerSecond),
            f1(result.p99()),
            f2(result.p99() / baseP99),
            f1(result.shedPercent()) + "%");
      }
    }
    for (int row = 0; row < OVERLOAD.length; row++) {
      table.row(
          "median",
          OVERLOAD[row],
          "",
          f2(median(throughput.get(row))),
          "",
          f2(median(latency.get(row))),
          "");
    }
    return table.markdown();
  }

  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  static String f0(double value) {
    return String.format(Locale.ROOT, "%.0f", value);
  }

  static String f1(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  static String f2(double value) {
    return String.format(Locale.ROOT, "%.2f", value);
  }
}
