package io.cifarserve.inference.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hot reloads under load: the service in its own process reloads its model {@code
 * benchmark.reloads} times (default 100) while 4 clients classify pictures, and its resident memory
 * is read after a full collection at 10 reloads and at the end. Run twice: with the memory settings
 * {@code run.sh} and the container image use, and with glibc's defaults, which keep the native
 * memory of every reload. Run with the benchmark group (see {@link PredictLoadBenchmark}).
 */
@Tag("benchmark")
class ReloadSoakBenchmark {

  private static final String TOKEN = "soak-token";

  private final int reloads = Integer.getInteger("benchmark.reloads", 100);

  @Test
  void reloadsUnderLoadKeepNoMemory() throws Exception {
    StringBuilder report = new StringBuilder();
    report.append(
        "| memory settings | reloads | RSS MB | heap committed MB | RSS less heap MB | requests failed |\n");
    report.append("|---|---:|---:|---:|---:|---:|\n");
    Map<String, String> settings = MeasuredProcess.RUN_SH_MEMORY_SETTINGS;
    Map<String, String> glibcDefaults =
        Map.of("JAVA_TOOL_OPTIONS", settings.get("JAVA_TOOL_OPTIONS"));
    soak("run.sh / image", settings, report);
    soak("-Xmx768m, glibc malloc defaults", glibcDefaults, report);
    BenchmarkReport.publish("reload-soak.md", report);
  }

  private void soak(String name, Map<String, String> settings, StringBuilder report)
      throws Exception {
    try (MeasuredProcess service = MeasuredProcess.start(settings, Map.of("ADMIN_TOKEN", TOKEN))) {
      String base = service.base;
      HttpClient http = HttpClient.newHttpClient();
      byte[] picture = TestImages.png(32, 32, Color.ORANGE);
      AtomicBoolean loading = new AtomicBoolean(true);
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger answered = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      for (int c = 0; c < 4; c++) {
        clients.submit(
            () -> {
              while (loading.get()) {
                try {
                  int status =
                      http.send(
                              HttpRequest.newBuilder(URI.create(base + "/api/v1/predict"))
                                  .header("Content-Type", "image/png")
                                  .POST(HttpRequest.BodyPublishers.ofByteArray(picture))
                                  .build(),
                              HttpResponse.BodyHandlers.discarding())
                          .statusCode();
                  (status == 200 ? answered : failed).incrementAndGet();
                } catch (Exception e) {
                  failed.incrementAndGet();
                }
              }
              return null;
            });
      }
      List<Integer> checkpoints = new ArrayList<>(List.of(10, reloads));
      for (int i = 1; i <= reloads; i++) {
        HttpResponse<String> reload =
            http.send(
                HttpRequest.newBuilder(URI.create(base + "/admin/model/reload"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(60))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        if (checkpoints.contains(i)) {
          service.collectGarbage();
          long rss = service.residentMegabytes();
          long heap = service.heapCommittedMegabytes();
          report.append(
              "| %s | %d | %d | %d | %d | %d of %d |%n"
                  .formatted(
                      name, i, rss, heap, rss - heap, failed.get(), failed.get() + answered.get()));
        }
      }
      loading.set(false);
      clients.shutdown();
    }
  }
}
