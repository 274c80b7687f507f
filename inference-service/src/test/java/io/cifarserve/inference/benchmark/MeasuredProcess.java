package io.cifarserve.inference.benchmark;

import io.cifarserve.inference.support.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service in its own process, started as {@code run.sh} starts it, with its memory read. */
final class MeasuredProcess implements AutoCloseable {

  /** What {@code run.sh} sets for the service: dockerfiles/memory.env, the heap as a JVM option. */
  static final Map<String, String> RUN_SH_MEMORY_SETTINGS = memorySettings();

  private static Map<String, String> memorySettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(Path.of("..", "dockerfiles", "memory.env"))) {
        int equals = line.indexOf('=');
        if (!line.startsWith("#") && equals > 0) {
          String name = line.substring(0, equals);
          String value = line.substring(equals + 1);
          settings.put(name.equals("INFERENCE_HEAP") ? "JAVA_TOOL_OPTIONS" : name, value);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.copyOf(settings);
  }

  private final ServiceProcess service;
  final String base;

  private MeasuredProcess(ServiceProcess service) {
    this.service = service;
    this.base = "http://127.0.0.1:" + service.port();
  }

  static MeasuredProcess start(Map<String, String> settings, Map<String, String> extra)
      throws Exception {
    Map<String, String> environment = new HashMap<>(settings);
    environment.putAll(extra);
    environment.put("LOGGING_LEVEL_ROOT", "WARN");
    MeasuredProcess process = new MeasuredProcess(ServiceProcess.start(environment));
    process.awaitReady();
    return process;
  }

  private void awaitReady() throws Exception {
    try {
      awaitReady(base, Duration.ofSeconds(120));
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + ":\n" + service.output(), e);
    }
  }

  /** Waits until the service at {@code base} answers its readiness probe with 200. */
  static void awaitReady(String base, Duration timeout) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready = HttpRequest.newBuilder(URI.create(base + "/v2/health/ready")).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notListeningYet) {
        // the port opens a few seconds after the process starts
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("service not ready after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }

  long residentMegabytes() throws IOException {
    Path status = Path.of("/proc", Long.toString(service.process().pid()), "status");
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in " + status);
  }

  long heapCommittedMegabytes() throws Exception {
    Matcher committed =
        Pattern.compile("garbage-first heap\\s+total (\\d+)K").matcher(jcmd("GC.heap_info"));
    return committed.find() ? Long.parseLong(committed.group(1)) / 1024 : -1;
  }

  /** A full collection, so that what stays resident is what is still held. */
  void collectGarbage() throws Exception {
    jcmd("GC.run");
    Thread.sleep(1000);
  }

  private String jcmd(String command) throws Exception {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process =
        new ProcessBuilder(jcmd.toString(), Long.toString(service.process().pid()), command)
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    process.waitFor();
    return output;
  }

  @Override
  public void close() {
    service.close();
  }
}
