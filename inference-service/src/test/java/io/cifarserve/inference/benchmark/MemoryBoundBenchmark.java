package io.cifarserve.inference.benchmark;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.inference.support.HttpTestClient;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Peak resident memory of the service (started as {@code run.sh} starts it) under mixes of the
 * heaviest requests its limits allow, each mix for {@code benchmark.seconds} (default 15) and then
 * all of them at once. Clients resend at once after a 503. Run with the benchmark group (see {@link
 * PredictLoadBenchmark}).
 */
@Tag("benchmark")
class MemoryBoundBenchmark {

  private final Duration each = Duration.ofSeconds(Long.getLong("benchmark.seconds", 15));

  /** One kind of request and how many clients send it at once. */
  private record Mix(String name, int clients, Supplier<HttpRequest.Builder> request) {}

  @Test
  void noMixOfRequestsPushesTheServicePastItsBound() throws Exception {
    try (MeasuredProcess service =
        MeasuredProcess.start(MeasuredProcess.RUN_SH_MEMORY_SETTINGS, Map.of())) {
      String base = service.base;
      byte[] bomb = png(7000, 7000);
      byte[] strip = png(100_000, 480);
      byte[] progressive = progressiveJpeg(6000, 6000);
      byte[] json = oipBodyOfNumbers(49 * 1024 * 1024);
      byte[] photo = noiseJpeg(1000, 1000);
      HttpTestClient.Multipart batch =
          HttpTestClient.multipart(
              IntStream.range(0, 64)
                  .mapToObj(i -> new HttpTestClient.Part("files", i + ".jpg", "image/jpeg", photo))
                  .toList());
      String model =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/api/v1/model")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body()
              .replaceAll("(?s)^.*?\"name\"\\s*:\\s*\"([^\"]+)\".*$", "$1");
      String infer = base + "/v2/models/" + model + "/infer";
      List<Mix> mixes =
          List.of(
              new Mix("32x32 PNGs", 64, () -> raw(base, TestImages.png(32, 32, Color.RED))),
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
                  "batches of 64 photos (%d MB)".formatted(batch.content().length / (1024 * 1024)),
                  8,
                  () ->
                      HttpRequest.newBuilder(URI.create(base + "/api/v1/predict/batch"))
                          .header("Content-Type", batch.contentType())
                          .POST(HttpRequest.BodyPublishers.ofByteArray(batch.content()))));
      StringBuilder report = new StringBuilder();
      report.append("| requests | clients | peak RSS MB | answers |\n|---|---:|---:|---|\n");
      report.append(
          "| (at rest, after start-up) | 0 | %d | |%n".formatted(service.residentMegabytes()));
      for (Mix mix : mixes) {
        report.append(run(service, List.of(mix), mix.name(), mix.clients()));
      }
      int all = mixes.stream().mapToInt(Mix::clients).sum();
      report.append(run(service, mixes, "all of the above at once", all));
      BenchmarkReport.publish("memory-bound.md", report);
    }
  }

  private String run(MeasuredProcess service, List<Mix> mixes, String name, int clients)
      throws Exception {
    HttpClient http =
        HttpClient.newBuilder().executor(Executors.newFixedThreadPool(clients)).build();
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    long end = System.nanoTime() + each.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> workers = new ArrayList<>();
    for (Mix mix : mixes) {
      for (int c = 0; c < mix.clients(); c++) {
        workers.add(
            pool.submit(
                () -> {
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
                }));
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
    Map<Integer, AtomicInteger> sorted = new TreeMap<>(statuses);
    StringBuilder answers = new StringBuilder();
    sorted.forEach(
        (status, count) ->
            answers
                .append(answers.isEmpty() ? "" : ", ")
                .append(count.get())
                .append(" x ")
                .append(status < 0 ? "no answer" : status));
    return "| %s | %d | %d | %s |%n".formatted(name, clients, peak, answers);
  }

  private static HttpRequest.Builder raw(String base, byte[] picture) {
    return HttpRequest.newBuilder(URI.create(base + "/api/v1/predict"))
        .header("Content-Type", "image/*")
        .POST(HttpRequest.BodyPublishers.ofByteArray(picture));
  }

  private static byte[] png(int width, int height) {
    return TestImages.encode(gradient(width, height), "png");
  }

  private static BufferedImage gradient(int width, int height) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
    g.fillRect(0, 0, width, height);
    g.dispose();
    return image;
  }

  private static byte[] progressiveJpeg(int width, int height) throws Exception {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(gradient(width, height), null, null), param);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static byte[] noiseJpeg(int width, int height) {
    BufferedImage noise = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(11);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        noise.setRGB(x, y, random.nextInt(1 << 24));
      }
    }
    return TestImages.encode(noise, "jpeg");
  }

  /** A well-formed OIP request whose tensor holds far more numbers than its shape. */
  private static byte[] oipBodyOfNumbers(int size) {
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
