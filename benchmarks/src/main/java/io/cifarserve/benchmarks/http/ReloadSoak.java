package io.cifarserve.benchmarks.http;

import io.cifarserve.benchmarks.Pictures;
import io.cifarserve.common.report.Table;
import java.awt.Color;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hot reloads under load: the service reloads its model again and again while 4 clients classify
 * pictures, and its resident memory is read after a full collection at 10 reloads and at the end.
 * Twice: with run.sh's memory settings, and with glibc's defaults, which keep the native memory of
 * every reload.
 */
public final class ReloadSoak {

  private static final String TOKEN = "soak-token";

  private final int reloads;

  public ReloadSoak(int reloads) {
    this.reloads = reloads;
  }

  public String measure(Path jar, Map<String, String> memory) throws Exception {
    Table table =
        new Table(
            "memory settings",
            "reloads",
            "RSS MB",
            "heap committed MB",
            "RSS less heap MB",
            "requests failed");
    soak(jar, "run.sh / image", memory, table);
    Map<String, String> glibcDefaults =
        Map.of("JAVA_TOOL_OPTIONS", memory.getOrDefault("JAVA_TOOL_OPTIONS", ""));
    soak(jar, "heap as run.sh, glibc malloc defaults", glibcDefaults, table);
    return table.markdown();
  }

  private void soak(Path jar, String name, Map<String, String> settings, Table table)
      throws Exception {
    Map<String, String> environment = new HashMap<>(settings);
    environment.put("ADMIN_TOKEN", TOKEN);
    try (ServiceUnderTest service = ServiceUnderTest.start(jar, environment)) {
      HttpClient http = HttpClient.newHttpClient();
      byte[] picture = Pictures.encode(Pictures.solid(32, 32, Color.ORANGE), "png");
      AtomicBoolean loading = new AtomicBoolean(true);
      AtomicInteger failed = new AtomicInteger();
      AtomicInteger answered = new AtomicInteger();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      for (int c = 0; c < 4; c++) {
        clients.submit(() -> classify(http, service.base(), picture, loading, answered, failed));
      }
      Set<Integer> checkpoints = new TreeSet<>(List.of(Math.min(10, reloads), reloads));
      for (int i = 1; i <= reloads; i++) {
        reload(http, service.base());
        if (checkpoints.contains(i)) {
          service.collectGarbage();
          long rss = service.residentMegabytes();
          long heap = service.heapCommittedMegabytes();
          int sent = failed.get() + answered.get();
          table.row(name, i, rss, heap, rss - heap, failed.get() + " of " + sent);
        }
      }
      loading.set(false);
      clients.shutdown();
      clients.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private static void reload(HttpClient http, String base) throws Exception {
    HttpResponse<String> reload =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/admin/model/reload"))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (reload.statusCode() != 200) {
      throw new IllegalStateException(
          "reload answered " + reload.statusCode() + ": " + reload.body());
    }
  }

  private static Void classify(
      HttpClient http,
      String base,
      byte[] picture,
      AtomicBoolean loading,
      AtomicInteger answered,
      AtomicInteger failed) {
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
  }
}
