package io.cifarserve.batch;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one shard's file holds, counted from the file itself once the shard is done, so it covers
 * the lines of earlier attempts too.
 *
 * @param shardIndex which shard
 * @param shardCount of how many
 * @param files lines in the shard's file: one per file of the shard
 * @param predicted lines with a prediction
 * @param errors lines with an error (unreadable or not a picture)
 * @param unsure predictions given as unsure
 * @param classes predictions per class
 * @param modelName the model that classified them
 * @param modelVersion its version
 * @param resumedFrom lines an earlier attempt had written, kept by this one
 * @param seconds this attempt's wall time
 * @param imagesPerSecond files this attempt classified per second
 */
public record ShardSummary(
    int shardIndex,
    int shardCount,
    long files,
    long predicted,
    long errors,
    long unsure,
    Map<String, Long> classes,
    String modelName,
    String modelVersion,
    long resumedFrom,
    double seconds,
    double imagesPerSecond) {

  public ShardSummary {
    classes = new TreeMap<>(classes);
  }
}
