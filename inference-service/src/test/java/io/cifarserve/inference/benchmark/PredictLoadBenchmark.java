package io.cifarserve.inference.benchmark;

import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.InferenceServiceApplication;
import java.awt.Color;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Throughput and latency of {@code POST /api/v1/predict} with 32x32 PNGs at several concurrencies,
 * batching on and off, against in-process ONNX Runtime on the same model in the same run. Not a
 * unit test: run it with
 *
 * <pre>./mvnw -pl inference-service -am test -Dgroups=benchmark -Dsurefire.excludedGroups=</pre>
 *
 * Options (system properties): {@code benchmark.model} (default: the embedded model), {@code
 * benchmark.seconds} per measurement (default 8), {@code benchmark.batching} ({@code on}, {@code
 * off}), {@code benchmark.concurrency} (a comma-separated subset of 1, 8, 32, 128 and 512 clients),
 * {@code benchmark.overload-rounds} (rounds of 32, 128 and 512 clients with batching on, default
 * 3), {@code benchmark.url} (measure the service already running there, such as a container,
 * instead: its HTTP rows only, at 1, 8 and 32 clients unless {@code benchmark.concurrency} says
 * otherwise, and the overload rounds only if {@code benchmark.overload-rounds} is given). The load
 * generator shares the machine with the service, as a sidecar would.
 */
@Tag("benchmark")
class PredictLoadBenchmark {

  private static final int[] CONCURRENCY = {1, 8, 32};

  /** Past the service's places (32 single-picture requests and as many waiting). */
  private static final int[] OVERLOAD = {128, 512};

  /** The figure the overload rows are held against: clients as many as the places. */
  private static final int AT_CAPACITY = 32;

  private static final Duration WARMUP = Duration.ofSeconds(2);
  private static final Duration SERVICE_WARMUP = Duration.ofSeconds(10);

  private final Duration measure = Duration.ofSeconds(Long.getLong("benchmark.seconds", 8));

  @Test
  void measure() throws Exception {
    String url = System.getProperty("benchmark.url");
    if (url != null) {
      measureRunning(url);
      return;
    }
    byte[] model = model();
    List<byte[]> pictures = pictures();
    StringBuilder report = new StringBuilder();
    StringBuilder overload = new StringBuilder();
    report.append(
        "| mode | concurrency | requests/s | p50 ms | p99 ms | ratio to in-process ORT | 503 share |\n");
    report.append("|---|---:|---:|---:|---:|---:|---:|\n");
    double ortSingle = inProcessImagesPerSecond(model, pictures, 1);
    double ortBatched = inProcessImagesPerSecond(model, pictures, 32);
    report.append("| in-process ORT, batch 1 | 1 | %.0f | | | 1.00 | |%n".formatted(ortSingle));
    report.append(
        "| in-process ORT, batch 32 | 1 | %.0f | | | %.2f | |%n"
            .formatted(ortBatched, ortBatched / ortSingle));
    Path modelFile = Files.createTempFile("benchmark-model", ".onnx");
    Files.write(modelFile, model);
    for (boolean batching : modes()) {
      try (ConfigurableApplicationContext service = start("file:" + modelFile, batching)) {
        int port = ((WebServerApplicationContext) service).getWebServer().getPort();
        // The model loads in the background after start-up; measure only a ready service.
        MeasuredProcess.awaitReady("http://127.0.0.1:" + port, Duration.ofSeconds(60));
        // Both services get the same JIT warm-up before their first row, so the first one
        // measured is not the colder.
        URI predict = URI.create("http://127.0.0.1:" + port + "/api/v1/predict");
        warmUp(predict, pictures);
        for (int users : concurrencies()) {
          Result result = load(predict, users, pictures);
          report.append(
              "| HTTP, batching %s | %d | %.0f | %.1f | %.1f | %.2f | %.1f%% |%n"
                  .formatted(
                      batching ? "on" : "off",
                      users,
                      result.perSecond(),
                      result.p50(),
                      result.p99(),
                      result.perSecond() / ortSingle,
                      result.shedPercent()));
        }
        if (batching) {
          overload.append(overloadRounds(predict, pictures));
        }
      }
    }
    report.append(overload);
    BenchmarkReport.publish("predict-load.md", report);
  }

  /** The HTTP rows against a service started elsewhere (a container, for one). */
  private void measureRunning(String url) throws Exception {
    List<byte[]> pictures = pictures();
    MeasuredProcess.awaitReady(url, Duration.ofSeconds(60));
    URI predict = URI.create(url + "/api/v1/predict");
    warmUp(predict, pictures);
    StringBuilder report =
        new StringBuilder("| service | concurrency | requests/s | p50 ms | p99 ms | 503 share |\n");
    report.append("|---|---:|---:|---:|---:|---:|\n");
    for (int users : concurrencies()) {
      Result result = load(predict, users, pictures);
      report.append(
          "| %s | %d | %.0f | %.1f | %.1f | %.1f%% |%n"
              .formatted(
                  url,
                  users,
                  result.perSecond(),
                  result.p50(),
                  result.p99(),
                  result.shedPercent()));
    }
    // Only when asked: with the service on cores of its own, the rounds show its overload
    // behaviour without the load generator's share of the CPU (scripts/overload-split-cores.sh).
    if (System.getProperty("benchmark.overload-rounds") != null) {
      report.append(overloadRounds(predict, pictures));
    }
    BenchmarkReport.publish("predict-load-running.md", report);
  }

  /**
   * The shipped int8 model against the float one, in one run: in-process at batch 1 and 32, and
   * over HTTP (one service serving both, batching on) at 1, 8 and 32 clients; with file sizes. Run
   * it alone with {@code -Dtest=PredictLoadBenchmark#int8AgainstFloat}.
   */
  @Test
  void int8AgainstFloat() throws Exception {
    // Against a service running elsewhere, only measure() has rows to give.
    Assumptions.assumeTrue(System.getProperty("benchmark.url") == null);
    byte[] fp32 = embedded("cifar10-resnet18.onnx");
    byte[] int8 = embedded("cifar10-resnet18-int8.onnx");
    List<byte[]> pictures = pictures();
    StringBuilder report = new StringBuilder();
    report.append(
        "| path | batch or clients | float images/s | int8 images/s | int8 / float | int8 p99 ms (float) |\n");
    report.append("|---|---:|---:|---:|---:|---:|\n");
    double baseline = 0;
    for (int batch : new int[] {1, 32}) {
      double f = inProcessImagesPerSecond(fp32, pictures, batch);
      double q = inProcessImagesPerSecond(int8, pictures, batch);
      baseline = baseline == 0 ? f : baseline;
      report.append(
          "| in-process ORT | %d | %.0f | %.0f | %.2f | |%n".formatted(batch, f, q, q / f));
    }
    try (ConfigurableApplicationContext service = start("classpath:models/*.onnx", true)) {
      int port = ((WebServerApplicationContext) service).getWebServer().getPort();
      MeasuredProcess.awaitReady("http://127.0.0.1:" + port, Duration.ofSeconds(60));
      URI floatUri =
          URI.create("http://127.0.0.1:" + port + "/api/v1/predict?model=cifar10-resnet18");
      URI int8Uri =
          URI.create("http://127.0.0.1:" + port + "/api/v1/predict?model=cifar10-resnet18-int8");
      warmUp(floatUri, pictures);
      warmUp(int8Uri, pictures);
      for (int users : CONCURRENCY) {
        Result f = load(floatUri, users, pictures);
        Result q = load(int8Uri, users, pictures);
        report.append(
            "| HTTP, batching on | %d | %.0f | %.0f | %.2f | %.1f (%.1f) |%n"
                .formatted(
                    users,
                    f.perSecond(),
                    q.perSecond(),
                    q.perSecond() / f.perSecond(),
                    q.p99(),
                    f.p99()));
      }
    }
    report.append(
        "%nBaseline: in-process float at batch 1, %.0f images/s. Files: float %,d KiB, int8 %,d KiB (%.2f).%n"
            .formatted(
                baseline,
                fp32.length / 1024,
                int8.length / 1024,
                (double) int8.length / fp32.length));
    BenchmarkReport.publish("int8-against-float.md", report);
  }

  private static byte[] embedded(String file) throws Exception {
    try (InputStream in = PredictLoadBenchmark.class.getResourceAsStream("/models/" + file)) {
      if (in == null) {
        throw new IllegalStateException("no embedded " + file);
      }
      return in.readAllBytes();
    }
  }

  /** Batching off, then on; {@code benchmark.batching=on} or {@code off} measures one. */
  private static boolean[] modes() {
    return switch (System.getProperty("benchmark.batching", "both")) {
      case "on" -> new boolean[] {true};
      case "off" -> new boolean[] {false};
      default -> new boolean[] {false, true};
    };
  }

  private static byte[] model() throws Exception {
    String path = System.getProperty("benchmark.model");
    if (path != null) {
      return Files.readAllBytes(Path.of(path));
    }
    try (InputStream embedded =
        PredictLoadBenchmark.class.getResourceAsStream("/models/cifar10-resnet18.onnx")) {
      if (embedded == null) {
        throw new IllegalStateException("no embedded model; pass -Dbenchmark.model=FILE");
      }
      return embedded.readAllBytes();
    }
  }

  private static List<byte[]> pictures() {
    Random random = new Random(3);
    List<byte[]> pictures = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      pictures.add(
          TestImages.png(
              Cifar10.IMAGE_SIZE,
              Cifar10.IMAGE_SIZE,
              new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256))));
    }
    return pictures;
  }

  private double inProcessImagesPerSecond(byte[] model, List<byte[]> pictures, int batch) {
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0)) {
      ImagePreprocessor preprocessor = ImagePreprocessor.forModel(classifier.metadata());
      float[] tensor = new float[batch * preprocessor.imageLength()];
      for (int i = 0; i < batch; i++) {
        preprocessor.writeTensor(
            TestImages.solid(32, 32, new Color(i * 7 % 256, 90, 200)),
            tensor,
            i * preprocessor.imageLength());
      }
      long warmupEnd = System.nanoTime() + WARMUP.toNanos();
      while (System.nanoTime() < warmupEnd) {
        classifier.probabilities(tensor, batch);
      }
      long images = 0;
      long start = System.nanoTime();
      long end = start + measure.toNanos();
      while (System.nanoTime() < end) {
        classifier.probabilities(tensor, batch);
        images += batch;
      }
      return images / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static ConfigurableApplicationContext start(String location, boolean batching) {
    // Command-line arguments: they take precedence over application.yml.
    List<String> args =
        new ArrayList<>(
            List.of(
                "--server.port=0",
                "--inference.model.location=" + location,
                "--inference.model.watch=false",
                "--inference.batching.enabled=" + batching,
                "--inference.batching.queue-capacity=1024",
                "--logging.level.root=WARN"));
    // Settings to try, such as -Dbenchmark.args=--inference.admission.interactive-requests=32
    for (String arg : System.getProperty("benchmark.args", "").split(" ")) {
      if (!arg.isBlank()) {
        args.add(arg);
      }
    }
    return new SpringApplicationBuilder(InferenceServiceApplication.class)
        .run(args.toArray(String[]::new));
  }

  /**
   * Overload held against capacity: {@code benchmark.overload-rounds} rounds (default 3, 0 for
   * none), each measuring 32 clients, each overload row in turn, and 32 clients again, so that
   * every ratio compares rows seconds apart. This machine drifts by 10-20% over minutes, more than
   * the effect the goal is about; the median over rounds is the figure to read.
   */
  private String overloadRounds(URI predict, List<byte[]> pictures) throws Exception {
    int rounds = Integer.getInteger("benchmark.overload-rounds", 3);
    if (rounds <= 0) {
      return "";
    }
    StringBuilder table =
        new StringBuilder(
            "%n| overload round | clients | requests/s | ratio to %d clients | p99 ms | p99 ratio | 503 share |%n"
                .formatted(AT_CAPACITY));
    table.append("|---|---:|---:|---:|---:|---:|---:|\n");
    List<List<Double>> throughput = new ArrayList<>();
    List<List<Double>> latency = new ArrayList<>();
    for (int row = 0; row < OVERLOAD.length; row++) {
      throughput.add(new ArrayList<>());
      latency.add(new ArrayList<>());
    }
    for (int round = 1; round <= rounds; round++) {
      Result before = load(predict, AT_CAPACITY, pictures);
      List<Result> over = new ArrayList<>();
      for (int users : OVERLOAD) {
        over.add(load(predict, users, pictures));
      }
      Result after = load(predict, AT_CAPACITY, pictures);
      // The capacity figure is the mean of one run before and one after: drift cancels out.
      double basePerSecond = (before.perSecond() + after.perSecond()) / 2;
      double baseP99 = (before.p99() + after.p99()) / 2;
      table.append(
          "| %d | %d (before, after) | %.0f, %.0f | 1.00 | %.1f, %.1f | 1.00 | %.1f%% |%n"
              .formatted(
                  round,
                  AT_CAPACITY,
                  before.perSecond(),
                  after.perSecond(),
                  before.p99(),
                  after.p99(),
                  Math.max(before.shedPercent(), after.shedPercent())));
      for (int row = 0; row < OVERLOAD.length; row++) {
        Result result = over.get(row);
        double ratio = result.perSecond() / basePerSecond;
        double p99Ratio = result.p99() / baseP99;
        throughput.get(row).add(ratio);
        latency.get(row).add(p99Ratio);
        table.append(
            "| %d | %d | %.0f | %.2f | %.1f | %.2f | %.1f%% |%n"
                .formatted(
                    round,
                    OVERLOAD[row],
                    result.perSecond(),
                    ratio,
                    result.p99(),
                    p99Ratio,
                    result.shedPercent()));
      }
    }
    for (int row = 0; row < OVERLOAD.length; row++) {
      table.append(
          "| median | %d | | %.2f | | %.2f | |%n"
              .formatted(OVERLOAD[row], median(throughput.get(row)), median(latency.get(row))));
    }
    return table.toString();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }

  /**
   * The rows to measure: 1, 8 and 32 clients, or those listed in {@code benchmark.concurrency}
   * (which may also name the overload rows, measured then once each).
   */
  private static List<Integer> concurrencies() {
    String chosen = System.getProperty("benchmark.concurrency");
    if (chosen == null) {
      return IntStream.of(CONCURRENCY).boxed().toList();
    }
    Set<String> wanted = Set.of(chosen.split(","));
    return IntStream.concat(IntStream.of(CONCURRENCY), IntStream.of(OVERLOAD))
        .filter(users -> wanted.contains(Integer.toString(users)))
        .boxed()
        .toList();
  }

  /** Answers per second with 200, latency of those, and how many were answered each way. */
  private record Result(double perSecond, double p50, double p99, long accepted, long shed) {

    /** Answers that were 503, in percent of all answers. */
    double shedPercent() {
      return 100.0 * shed / Math.max(1, shed + accepted);
    }
  }

  /** What a load run saw: 503 answers with Retry-After (shed) apart from real failures. */
  private static final class Counts {
    final AtomicInteger shed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
  }

  private void warmUp(URI uri, List<byte[]> pictures) throws Exception {
    try (Clients clients = Clients.of(8)) {
      run(clients.http(), uri, 8, pictures, SERVICE_WARMUP, new ArrayList<>(), new Counts());
    }
  }

  private Result load(URI uri, int users, List<byte[]> pictures) throws Exception {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Counts counts = new Counts();
    try (Clients clients = Clients.of(users)) {
      run(clients.http(), uri, users, pictures, WARMUP, new ArrayList<>(), new Counts());
      run(clients.http(), uri, users, pictures, measure, latencies, counts);
    }
    double seconds = measure.toNanos() / 1e9;
    if (counts.failed.get() > 0) {
      throw new IllegalStateException(counts.failed.get() + " requests failed");
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new Result(
        sorted.size() / seconds,
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted.size(),
        counts.shed.get());
  }

  /**
   * A row's client threads and their HTTP client, ended with the row (otherwise hundreds of threads
   * outlive the overload rows). HTTP/1.1, as the service speaks it: by default the JDK client
   * offers every new connection an HTTP/2 upgrade, and each 503 closes its connection, so refused
   * clients would pay it again.
   */
  private record Clients(ExecutorService threads, HttpClient http) implements AutoCloseable {

    static Clients of(int users) {
      ExecutorService threads = Executors.newFixedThreadPool(users);
      return new Clients(
          threads,
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(threads).build());
    }

    @Override
    public void close() {
      threads.shutdown();
    }
  }

  /**
   * Closed-loop clients, each sending its next picture as soon as it has an answer. After a 503 a
   * client waits as its Retry-After says, as HTTP clients should: on this 2-core machine, clients
   * that resend at once spend the cores that would serve them (the load generator shares them).
   */
  private static void run(
      HttpClient http,
      URI uri,
      int users,
      List<byte[]> pictures,
      Duration duration,
      List<Long> latencies,
      Counts counts)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(users);
    long end = System.nanoTime() + duration.toNanos();
    List<Future<?>> workers = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int user = u;
      workers.add(
          pool.submit(
              () -> {
                int i = user;
                while (System.nanoTime() < end) {
                  byte[] picture = pictures.get(i++ % pictures.size());
                  long sent = System.nanoTime();
                  try {
                    HttpResponse<Void> response =
                        http.send(
                            HttpRequest.newBuilder(uri)
                                .header("Content-Type", "image/png")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(picture))
                                .build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (System.nanoTime() > end) {
                      // Answered after the window closed: counting it would credit the window
                      // with work done during the drain, and more so the more clients there are.
                      break;
                    }
                    if (response.statusCode() == 200) {
                      latencies.add(System.nanoTime() - sent);
                    } else if (response.statusCode() == 503
                        && response.headers().firstValue("Retry-After").isPresent()) {
                      counts.shed.incrementAndGet();
                      long retryAfter =
                          Long.parseLong(response.headers().firstValue("Retry-After").get());
                      Thread.sleep(
                          Math.min(
                              retryAfter * 1000,
                              Math.max(0, (end - System.nanoTime()) / 1_000_000)));
                    } else {
                      counts.failed.incrementAndGet();
                    }
                  } catch (Exception e) {
                    counts.failed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
  }

  private static double percentile(List<Long> sortedNanos, double q) {
    if (sortedNanos.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(q * sortedNanos.size()) - 1;
    return sortedNanos.get(Math.max(0, index)) / 1e6;
  }
}
