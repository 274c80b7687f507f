package io.cifarserve.classifier.onnx;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's ONNX Runtime environment. Creating it makes ONNX Runtime's bundled telemetry
 * library leave an empty {@code mat-debug-<pid>.log} in {@code $TMPDIR} (or {@code /tmp}) that
 * nothing ever writes to or removes; the first call deletes it, so no process leaves one behind.
 */
public final class OrtEnvironments {

  private static volatile OrtEnvironment environment;

  private OrtEnvironments() {}

  public static OrtEnvironment get() {
    OrtEnvironment env = environment;
    if (env == null) {
      synchronized (OrtEnvironments.class) {
        env = environment;
        if (env == null) {
          env = OrtEnvironment.getEnvironment();
          deleteTelemetryLog();
          environment = env;
        }
      }
    }
    return env;
  }

  /** Where the telemetry library puts its log: {@code $TMPDIR}, else {@code /tmp}. */
  static Path telemetryLog() {
    String tmp = System.getenv("TMPDIR");
    Path folder = Path.of(tmp == null || tmp.isBlank() ? "/tmp" : tmp);
    return folder.resolve("mat-debug-" + ProcessHandle.current().pid() + ".log");
  }

  private static void deleteTelemetryLog() {
    Path log = telemetryLog();
    try {
      // Only the empty file it creates: never anything with content, whoever wrote it.
      if (Files.isRegularFile(log) && Files.size(log) == 0) {
        Files.delete(log);
      }
    } catch (IOException e) {
      // Litter is not worth failing a model load for.
    }
  }
}
