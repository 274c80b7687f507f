package io.cifarserve.benchmarks.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The inference service's jar in its own process, started as {@code run.sh} and the image start it
 * (the settings in {@code dockerfiles/memory.env}), with its memory read from the outside.
 */
public final class ServiceUnderTest implements AutoCloseable {

  private final Process process;
  private final Path log;
  private final String base;

  private ServiceUnderTest(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.base = "http://127.0.0.1:" + port;
  }

  /** What run.sh sets: memory.env's lines, its heap as a JVM option. */
  public static Map<String, String> memorySettings(Path memoryEnv) throws IOException {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String line : Files.readAllLines(memoryEnv)) {
      int equals = line.indexOf('=');
      if (!line.startsWith("#") && equals > 0) {
        String name = line.substring(0, equals);
        String value = line.substring(equals + 1);
        settings.put(name.equals("INFERENCE_HEAP") ? "JAVA_TOOL_OPTIONS" : name, value);
      }
    }
    return Map.copyOf(settings);
  }

  /** Starts the jar with {@code environment} on a free port and waits until it is ready. */
  public static ServiceUnderTest start(Path jar, Map<String, String> environment)
      throws IOException, InterruptedException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("inference-service", ".log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(java.toString(), "-jar", jar.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = new HashMap<>(environment);
    env.put("PORT", Integer.toString(port));
    env.putIfAbsent("LOGGING_LEVEL_ROOT", "WARN");
    builder.environment().putAll(env);
    ServiceUnderTest service = new ServiceUnderTest(builder.start(), log, port);
    try {
      awaitReady(service.base, Duration.ofSeconds(120));
    } catch (IllegalStateException e) {
      service.close();
      throw new IllegalStateException(e.getMessage() + ":\n" + service.output(), e);
    }
    return service;
  }

  /** Waits until the service at {@code base} answers its readiness probe with 200. */
  public static void awaitReady(String base, Duration timeout) throws InterruptedException {
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
        throw new IllegalStateException(base + " not ready after " + timeout.toSeconds() + " s");
      }
      Thread.sleep(200);
    }
  }

  public String base() {
    return base;
  }

  public long residentMegabytes() throws IOException {
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in " + status);
  }

  public long heapCommittedMegabytes() throws IOException, InterruptedException {
    Matcher committed =
        Pattern.compile("garbage-first heap\\s+total (\\d+)K").matcher(jcmd("GC.heap_info"));
    return committed.find() ? Long.parseLong(committed.group(1)) / 1024 : -1;
  }

  /** A full collection, so that what stays resident is what is still held. */
  public void collectGarbage() throws IOException, InterruptedException {
    jcmd("GC.run");
    Thread.sleep(1000);
  }

  private String jcmd(String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process run =
        new ProcessBuilder(List.of(jcmd.toString(), Long.toString(process.pid()), command))
            .redirectErrorStream(true)
            .start();
    String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    run.waitFor(30, TimeUnit.SECONDS);
    return output;
  }

  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
