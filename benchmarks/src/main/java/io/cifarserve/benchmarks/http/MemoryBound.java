package io.cifarserve.benchmarks.http;

import io.cifarserve.benchmarks.Pictures;
import io.cifarserve.common.report.Table;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Peak resident memory of the service (started as run.sh starts it) under mixes of the heaviest
 * requests its limits allow, each mix for a while and then all of them at once. Clients resend at
 * once after a 503.
 */
public final class MemoryBound {

  /** One kind of request and how many clients send it at once. */
  private record Mix(String name, int clients, Supplier<HttpRequest.Builder> request) {}

  private final Duration each;

  public MemoryBound(Duration each) {
    this.each = each;
  }

  public String measure(Path jar, Map<String, String> memory) throws Exception {
    try (ServiceUnderTest service = ServiceUnderTest.start(jar, memory)) {
      List<Mix> mixes = mixes(service.base());
      Table table = new Table("requests", "clients", "peak RSS MB", "answers");
      table.row("(at rest, after start-up)", 0, service.residentMegabytes(), "");
      for (Mix mix : mixes) {
        run(service, List.of(mix), mix.name(), mix.clients(), table);
      }
      int all = mixes.stream().mapToInt(Mix::clients).sum();
      run(service, mixes, "all of the above at once", all, table);
      return table.markdown();
    }
  }

  private static List<Mix> mixes(String base) throws Exception {
    byte[] bomb = Pictures.encode(Pictures.gradient(7000, 7000), "png");
    byte[] strip = Pictures.encode(Pictures.gradient(100_000, 480), "png");
    byte[] progressive = Pictures.progressiveJpeg(6000, 6000);
    byte[] json = oipBodyOfNumbers(49 * 1024 * 1024);
    byte[] photo = Pictures.noiseJpeg(1000, 1000);
    byte[] small = Pictures.encode(Pictures.solid(32, 32, Color.RED), "png");
    String boundary = "----cifar-serve-benchmark";
    byte[] batch = multipart(boundary, photo, 64);
    String infer = base + "/v2/models/" + defaultModel(base) + "/infer";
    return List.of(
        new Mix("32x32 PNGs", 64, () -> raw(base, small)),
        new Mix(
            "7000x7000 PNG (49 MP, %d KB)".formatted(bomb.length / 1024),
            16,
            () -> raw(base, bomb)),
        new Mix("100000x480 PNG strip (48 MP)", 16, () -> raw(base, strip)),
        new Mix(
            "6000x6000 progressive JPEG (%d KB)".formatted(progressive.length / 1024),
            16,
            () -> raw(base, progressive)),
        new Mix(
            "OIP JSON bodies of 49 MB",
            8,
            () ->
                HttpRequest.newBuilder(URI.create(infer))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json))),
        new Mix(
            "batches of 64 photos (%d MB)".formatted(batch.length / (1024 * 1024)),
            8,
            () ->
                HttpRequest.newBuilder(URI.create(base + "/api/v1/predict/batch"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batch))));
  }

  private void run(ServiceUnderTest service, List<Mix> mixes, String name, int clients, Table table)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder().executor(Executors.newFixedThreadPool(clients)).build();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    long end = System.nanoTime() + each.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> workers = new ArrayList<>();
    for (Mix mix : mixes) {
      for (int c = 0; c < mix.clients(); c++) {
        workers.add(pool.submit(() -> send(http, mix, end, statuses)));
      }
    }
    long peak = 0;
    while (workers.stream().anyMatch(worker -> !worker.isDone())) {
      peak = Math.max(peak, service.residentMegabytes());
      Thread.sleep(100);
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
    StringBuilder answers = new StringBuilder();
    new TreeMap<>(statuses)
        .forEach(
            (status, count) ->
                answers
                    .append(answers.isEmpty() ? "" : ", ")
                    .append(count.get())
                    .append(" x ")
                    .append(status < 0 ? "no answer" : status));
    table.row(name, clients, peak, answers);
  }

  private static Void send(
      HttpClient http, Mix mix, long end, Map<Integer, AtomicInteger> statuses) {
    while (System.nanoTime() < end) {
      int status;
      try {
        status =
            http.send(
                    mix.request().get().timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode();
      } catch (Exception e) {
        status = -1;
      }
      statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
    }
    return null;
  }

  private static String defaultModel(String base) throws Exception {
    String body =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/model")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return body.replaceAll("(?s)^.*?\"name\"\\s*:\\s*\"([^\"]+)\".*$", "$1");
  }

  private static HttpRequest.Builder raw(String base, byte[] picture) {
    return HttpRequest.newBuilder(URI.create(base + "/api/v1/predict"))
        .header("Content-Type", "image/*")
        .POST(HttpRequest.BodyPublishers.ofByteArray(picture));
  }

  /** A form with {@code copies} file parts named {@code files}, each {@code picture}. */
  static byte[] multipart(String boundary, byte[] picture, int copies) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < copies; i++) {
      out.writeBytes(
          ("--%s\r\nContent-Disposition: form-data; name=\"files\"; filename=\"%d.jpg\"\r\n"
                  + "Content-Type: image/jpeg\r\n\r\n")
              .formatted(boundary, i)
              .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(picture);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** A well-formed OIP request whose tensor holds far more numbers than its shape. */
  static byte[] oipBodyOfNumbers(int size) {
    StringBuilder json =
        new StringBuilder(size + 200)
            .append(
                "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[64,3,32,32],\"data\":[");
    while (json.length() < size) {
      json.append("0.25,");
    }
    return json.append("0.25]}]}").toString().getBytes(StandardCharsets.US_ASCII);
  }
}
