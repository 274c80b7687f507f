package io.cifarserve.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * Combines the shards' summaries of one run into {@code summary.json}, after checking that every
 * shard finished, with the same model, and that each file holds the lines its summary counts.
 */
public final class ShardMerge {

  /** The whole run: totals, classes, and each shard's summary. */
  public record Report(
      int shards,
      long files,
      long predicted,
      long errors,
      long unsure,
      Map<String, Long> classes,
      String modelName,
      String modelVersion,
      List<ShardSummary> perShard) {}

  private final JsonMapper json;

  public ShardMerge(JsonMapper json) {
    this.json = json;
  }

  /**
   * @throws IllegalStateException a shard is missing or unfinished, or the shards disagree
   */
  public Report merge(Path dir) throws IOException {
    Map<Integer, ShardSummary> byIndex = completeShards(readSummaries(dir), dir);
    ShardSummary first = byIndex.get(0);
    for (ShardSummary s : byIndex.values()) {
      requireSameModel(s, first);
      requireUnchanged(s, dir);
    }
    Report report = total(byIndex, first);
    ShardedPrediction.writeAtomically(
        dir.resolve("summary.json"),
        json.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    return report;
  }

  private List<ShardSummary> readSummaries(Path dir) throws IOException {
    List<ShardSummary> summaries = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file :
          files
              .filter(f -> f.getFileName().toString().matches("summary-\\d+-of-\\d+\\.json"))
              .sorted()
              .toList()) {
        summaries.add(json.readValue(file.toFile(), ShardSummary.class));
      }
    }
    if (summaries.isEmpty()) {
      throw new IllegalStateException("no shard summaries (summary-*-of-*.json) in " + dir);
    }
    return summaries;
  }

  /** The summaries by shard index, when they come from one run and none is missing. */
  private static Map<Integer, ShardSummary> completeShards(List<ShardSummary> summaries, Path dir) {
    int count = summaries.get(0).shardCount();
    Map<Integer, ShardSummary> byIndex = new TreeMap<>();
    for (ShardSummary s : summaries) {
      if (s.shardCount() != count) {
        throw new IllegalStateException(
            "summaries from runs with %d and %d shards in %s"
                .formatted(count, s.shardCount(), dir));
      }
      byIndex.put(s.shardIndex(), s);
    }
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      if (!byIndex.containsKey(i)) {
        missing.add(i);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException(
          "shards %s of %d have not finished (no summary); run them again"
              .formatted(missing, count));
    }
    return byIndex;
  }

  private static void requireSameModel(ShardSummary s, ShardSummary first) {
    if (!s.modelName().equals(first.modelName())
        || !s.modelVersion().equals(first.modelVersion())) {
      throw new IllegalStateException(
          "shard %d used %s %s, shard 0 %s %s"
              .formatted(
                  s.shardIndex(),
                  s.modelName(),
                  s.modelVersion(),
                  first.modelName(),
                  first.modelVersion()));
    }
  }

  /** The shard's file holds the lines its summary counts. */
  private static void requireUnchanged(ShardSummary s, Path dir) throws IOException {
    Path predictions = dir.resolve(new Shard(s.shardIndex(), s.shardCount()).predictionsFile());
    long lines;
    try (Stream<String> stream = Files.lines(predictions)) {
      lines = stream.count();
    }
    if (lines != s.files()) {
      throw new IllegalStateException(
          "%s has %d lines, its summary %d: the shard was changed after it finished"
              .formatted(predictions, lines, s.files()));
    }
  }

  private static Report total(Map<Integer, ShardSummary> byIndex, ShardSummary first) {
    long files = 0;
    long predicted = 0;
    long errors = 0;
    long unsure = 0;
    Map<String, Long> classes = new TreeMap<>();
    for (ShardSummary s : byIndex.values()) {
      files += s.files();
      predicted += s.predicted();
      errors += s.errors();
      unsure += s.unsure();
      s.classes().forEach((label, n) -> classes.merge(label, n, Long::sum));
    }
    return new Report(
        byIndex.size(),
        files,
        predicted,
        errors,
        unsure,
        classes,
        first.modelName(),
        first.modelVersion(),
        List.copyOf(byIndex.values()));
  }
}
