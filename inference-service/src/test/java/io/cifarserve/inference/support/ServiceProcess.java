package io.cifarserve.inference.support;

import io.cifarserve.common.testing.TestClassPath;
import io.cifarserve.inference.InferenceServiceApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The inference service as its own operating-system process, started from the test class path with
 * a given environment: for what needs a fresh JVM (logging set-up) or a real signal.
 */
public final class ServiceProcess implements AutoCloseable {

  private final Process process;
  private final Path output;
  private final int port;

  private ServiceProcess(Process process, Path output, int port) {
    this.process = process;
    this.output = output;
    this.port = port;
  }

  public static ServiceProcess start(Map<String, String> environment) {
    try {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      Path output = Files.createTempFile("inference-service", ".log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-cp");
      command.add(TestClassPath.pathingJar().toString());
      command.add(InferenceServiceApplication.class.getName());
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
      builder.environment().putAll(environment);
      builder.environment().put("PORT", Integer.toString(port));
      return new ServiceProcess(builder.start(), output, port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  public Process process() {
    return process;
  }

  /** Everything the process printed so far. */
  public String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends SIGTERM, as Cloud Run does, and waits for the process to end. */
  public boolean terminate(long timeout, TimeUnit unit) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout, unit);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
