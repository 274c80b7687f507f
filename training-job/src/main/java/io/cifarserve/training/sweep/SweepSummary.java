package io.cifarserve.training.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a sweep stands, read from its configurations' run folders (the source of truth, on the
 * bucket every task writes to), and which configuration is best by its final validation accuracy.
 * The test figures in the folders are never read: choosing by them would make them a validation
 * set.
 */
public record SweepSummary(List<Row> rows, Optional<Row> best) {

  public static final String FILE = "sweep-summary.json";

  /**
   * @param status {@code done}, {@code unfinished} (a checkpoint, no results) or {@code not
   *     started}
   */
  public record Row(
      String name,
      Map<String, Object> values,
      String status,
      double validationAccuracy,
      double validationLoss,
      int epochs) {}

  public static SweepSummary read(List<Configuration> configurations, Path out, JsonMapper json) {
    List<Row> rows = configurations.stream().map(c -> row(c, out.resolve(c.name()), json)).toList();
    Optional<Row> best =
        rows.stream()
            .filter(r -> r.status().equals("done") && Double.isFinite(r.validationAccuracy()))
            .max(Comparator.comparingDouble(Row::validationAccuracy));
    return new SweepSummary(rows, best);
  }

  private static Row row(Configuration configuration, Path runDir, JsonMapper json) {
    Path metrics = runDir.resolve("metrics.json");
    if (Files.isRegularFile(metrics)) {
      JsonNode epochs = json.readTree(metrics.toFile()).path("epochs");
      JsonNode last = epochs.path(epochs.size() - 1);
      return new Row(
          configuration.name(),
          configuration.values(),
          "done",
          last.path("validationAccuracy").asDouble(Double.NaN),
          last.path("validationLoss").asDouble(Double.NaN),
          epochs.size());
    }
    String status =
        Files.isRegularFile(runDir.resolve("checkpoint.json")) ? "unfinished" : "not started";
    return new Row(configuration.name(), configuration.values(), status, Double.NaN, Double.NaN, 0);
  }

  public long done() {
    return rows.stream().filter(r -> r.status().equals("done")).count();
  }

  /** Writes {@value #FILE} into {@code out} and prints the table, best first. */
  public Path write(Path out, JsonMapper json, PrintStream console) {
    Path file = out.resolve(FILE);
    try {
      Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(this));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    console.printf(
        "%-11s %-12s %8s %8s  %s%n", "config", "status", "val acc", "val loss", "values");
    rows.stream()
        .sorted(
            Comparator.comparingDouble(
                    (Row r) -> Double.isNaN(r.validationAccuracy()) ? -1 : r.validationAccuracy())
                .reversed())
        .forEach(
            r ->
                console.printf(
                    "%-11s %-12s %8.4f %8.4f  %s%n",
                    r.name(), r.status(), r.validationAccuracy(), r.validationLoss(), r.values()));
    console.println(
        best.map(
                b ->
                    "best by validation accuracy: %s %s (%.4f)"
                        .formatted(b.name(), b.values(), b.validationAccuracy()))
            .orElse("no configuration has finished yet"));
    console.printf("%d of %d configurations done; wrote %s%n", done(), rows.size(), file);
    return file;
  }
}
