package io.cifarserve.batch;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "predict-merge",
    mixinStandardHelpOptions = true,
    description = {
      "Combines the shard summaries predict-dir wrote into one folder into summary.json: totals,",
      "classes, errors, the model. Fails (exit 2) when a shard has not finished or the shards",
      "disagree on the model."
    })
final class PredictMergeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "OUT_DIR", description = "predict-dir's --out folder.")
  Path dir;

  @Override
  public Integer call() throws IOException {
    try {
      ShardMerge.Report report = new ShardMerge(Json.mapper()).merge(dir);
      System.out.printf(
          "%d shards: %,d files, %,d predictions (%,d unsure), %,d errors, model %s %s; wrote %s%n",
          report.shards(),
          report.files(),
          report.predicted(),
          report.unsure(),
          report.errors(),
          report.modelName(),
          report.modelVersion(),
          dir.resolve("summary.json"));
      return 0;
    } catch (IllegalStateException e) {
      System.err.println(e.getMessage());
      return 2;
    }
  }
}
