package io.cifarserve.inference.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where a benchmark's table goes: printed, and kept under {@code target/benchmark/}. */
final class BenchmarkReport {

  private BenchmarkReport() {}

  static void publish(String fileName, CharSequence report) throws IOException {
    System.out.println("\n" + report);
    Path out = Path.of("target", "benchmark", fileName);
    Files.createDirectories(out.getParent());
    Files.writeString(out, report);
  }
}
