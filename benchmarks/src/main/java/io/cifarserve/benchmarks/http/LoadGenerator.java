package io.cifarserve.benchmarks.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Closed-loop clients posting pictures to one URI: each sends its next picture as soon as it has an
 * answer. After a 503 a client waits as its Retry-After says, as HTTP clients should: on a small
 * machine, clients that resend at once spend the cores that would serve them.
 */
public final class LoadGenerator {

  private static final Duration WARMUP = Duration.ofSeconds(2);

  private final List<byte[]> pictures;
  private final Duration measure;

  public LoadGenerator(List<byte[]> pictures, Duration measure) {
    this.pictures = List.copyOf(pictures);
    this.measure = measure;
  }

  /** Answers per second with 200, their latency, and how many were answered each way. */
  public record Result(double perSecond, double p50, double p99, long accepted, long shed) {

    /** Answers that were 503, in percent of all answers. */
    public double shedPercent() {
      return 100.0 * shed / Math.max(1, shed + accepted);
    }
  }

  /** Gives the service's JIT the same start before any row is measured. */
  public void warmUp(URI uri, Duration duration) throws Exception {
    try (Clients clients = Clients.of(8)) {
      run(clients.http(), uri, 8, duration, new ArrayList<>(), new Counts());
    }
  }

  public Result load(URI uri, int users) throws Exception {
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Counts counts = new Counts();
    try (Clients clients = Clients.of(users)) {
      run(clients.http(), uri, users, WARMUP, new ArrayList<>(), new Counts());
      run(clients.http(), uri, users, measure, latencies, counts);
    }
    if (counts.failed.get() > 0) {
      throw new IllegalStateException(counts.failed.get() + " requests to " + uri + " failed");
    }
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    return new Result(
        sorted.size() / (measure.toNanos() / 1e9),
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        sorted.size(),
        counts.shed.get());
  }

  /** 503 answers with Retry-After (shed) apart from real failures. */
  private static final class Counts {
    final AtomicInteger shed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
  }

  /**
   * A row's client threads and their HTTP client, ended with the row. HTTP/1.1, as the service
   * speaks it: by default the JDK client offers every new connection an HTTP/2 upgrade, and each
   * 503 closes its connection, so refused clients would pay it again.
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

  private void run(
      HttpClient http, URI uri, int users, Duration duration, List<Long> latencies, Counts counts)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(users);
    long end = System.nanoTime() + duration.toNanos();
    List<Future<?>> workers = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int first = u;
      workers.add(pool.submit(() -> client(http, uri, first, end, latencies, counts)));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    pool.shutdown();
  }

  private Void client(
      HttpClient http, URI uri, int first, long end, List<Long> latencies, Counts counts)
      throws InterruptedException {
    int i = first;
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
          // Answered after the window closed: counting it would credit the window with work
          // done during the drain, and more so the more clients there are.
          break;
        }
        var retryAfter = response.headers().firstValue("Retry-After");
        if (response.statusCode() == 200) {
          latencies.add(System.nanoTime() - sent);
        } else if (response.statusCode() == 503 && retryAfter.isPresent()) {
          counts.shed.incrementAndGet();
          long leftMillis = Math.max(0, (end - System.nanoTime()) / 1_000_000);
          Thread.sleep(Math.min(Long.parseLong(retryAfter.get()) * 1000, leftMillis));
        } else {
          counts.failed.incrementAndGet();
        }
      } catch (java.io.IOException e) {
        counts.failed.incrementAndGet();
      }
    }
    return null;
  }

  static double percentile(List<Long> sortedNanos, double q) {
    if (sortedNanos.isEmpty()) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(q * sortedNanos.size()) - 1;
    return sortedNanos.get(Math.max(0, index)) / 1e6;
  }
}
