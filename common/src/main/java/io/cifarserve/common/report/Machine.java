package io.cifarserve.common.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a report was measured on: CPU model, cores the JVM may use, memory, JVM. */
public record Machine(String cpu, int cores, long memoryMegabytes, String jvm) {

  public static Machine current() {
    return new Machine(
        cpuModel(Path.of("/proc/cpuinfo")),
        Runtime.getRuntime().availableProcessors(),
        memoryMegabytes(Path.of("/proc/meminfo")),
        System.getProperty("java.vm.name") + " " + Runtime.version());
  }

  public String describe() {
    return "%s, %d cores, %,d MB memory, %s".formatted(cpu, cores, memoryMegabytes, jvm);
  }

  static String cpuModel(Path cpuinfo) {
    return lines(cpuinfo).stream()
        .filter(line -> line.startsWith("model name"))
        .map(line -> line.substring(line.indexOf(':') + 1).strip())
        .findFirst()
        .orElse(System.getProperty("os.arch"));
  }

  static long memoryMegabytes(Path meminfo) {
    return lines(meminfo).stream()
        .filter(line -> line.startsWith("MemTotal:"))
        .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024)
        .findFirst()
        .orElse(-1L);
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException notLinux) {
      return List.of();
    }
  }
}
