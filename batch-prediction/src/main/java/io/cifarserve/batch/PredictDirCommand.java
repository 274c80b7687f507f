package io.cifarserve.batch;

import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.mlflow.CommandParams;
import io.cifarserve.mlflow.Digests;
import io.cifarserve.mlflow.GitCommit;
import io.cifarserve.mlflow.MlflowSettings;
import io.cifarserve.mlflow.StandardTags;
import io.cifarserve.mlflow.TrackedExecution;
import io.cifarserve.mlflow.TrackedRun;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "predict-dir",
    mixinStandardHelpOptions = true,
    description = {
      "Classifies the files under a folder (recursively) into predictions-0000I-of-0000N.jsonl in",
      "--out, one JSON line per file: time, image_filepath, prediction, class_index, probability,",
      "unsure, top_k; a file that cannot be read as an image gets a line with an error instead.",
      "With --shard-count N, each of N tasks classifies the files whose path hashes to its index.",
      "Run again after a kill, it continues where it stopped. Each shard ends by writing",
      "summary-0000I-of-0000N.json; predict-merge combines them."
    })
final class PredictDirCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "IMAGES_DIR", description = "Folder of images.")
  Path imagesDir;

  @Option(names = "--model", required = true, description = "ONNX model exported by train.")
  Path model;

  @Option(
      names = "--out",
      required = true,
      description = "Folder for the shard's predictions and summary (created if absent).")
  Path out;

  @Option(
      names = "--shard-index",
      defaultValue = "${env:CLOUD_RUN_TASK_INDEX:-0}",
      description = "This task's shard, from 0. Default: $CLOUD_RUN_TASK_INDEX, else 0.")
  int shardIndex;

  @Option(
      names = "--shard-count",
      defaultValue = "${env:CLOUD_RUN_TASK_COUNT:-1}",
      description =
          "How many shards the folder is split into. Default: $CLOUD_RUN_TASK_COUNT, else 1.")
  int shardCount;

  @Option(names = "--top-k", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
  int topK;

  @Option(
      names = "--batch-size",
      defaultValue = "64",
      description = "Pictures per ONNX Runtime call. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--decode-threads",
      description = "Threads decoding pictures. Default: the number of CPUs.")
  Integer decodeThreads;

  @Option(
      names = "--progress-seconds",
      defaultValue = "30",
      description = "Without a terminal, a progress line this often. Default: ${DEFAULT-VALUE}.")
  long progressSeconds;

  @Option(
      names = "--sync-seconds",
      defaultValue = "60",
      description =
          "How often written lines are forced to storage (on a Cloud Storage mount: uploaded)."
              + " Default: ${DEFAULT-VALUE}.")
  long syncSeconds;

  @Option(
      names = "--max-pixels",
      defaultValue = "50000000",
      description = "Refuse images with more pixels than this. Default: ${DEFAULT-VALUE}.")
  long maxPixels;

  @Spec CommandSpec spec;

  /**
   * Classifies the shard; with {@code MLFLOW_TRACKING_URI} set, records it as an MLflow run: the
   * options and the model as parameters, the shard's counts and speed as metrics, its summary as an
   * artifact (the predictions stay in --out, where they may be large).
   */
  @Override
  public Integer call() throws Exception {
    Optional<MlflowSettings> tracking = MlflowSettings.fromEnvironment(System.getenv());
    Map<String, String> params = new LinkedHashMap<>();
    Map<String, String> tags = new LinkedHashMap<>();
    if (tracking.isPresent()) {
      params.putAll(CommandParams.of(spec));
      params.put("model_sha256", Digests.sha256(model));
      tags.putAll(StandardTags.of("batch-prediction predict-dir", GitCommit.current()));
    }
    String runName =
        "predict-dir-%d-of-%d-%d".formatted(shardIndex, shardCount, System.currentTimeMillis());
    return TrackedExecution.run(tracking, runName, tags, params, System.out, this::predict);
  }

  private int predict(TrackedRun run) throws IOException {
    Shard shard = new Shard(shardIndex, shardCount);
    ShardedPrediction.Settings settings =
        new ShardedPrediction.Settings(
            batchSize,
            decodeThreads != null ? decodeThreads : Runtime.getRuntime().availableProcessors(),
            topK,
            Duration.ofSeconds(progressSeconds),
            Duration.ofSeconds(syncSeconds));
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0)) {
      run.logParams(
          Map.of(
              "model_name", classifier.metadata().name(),
              "model_version", classifier.metadata().version()));
      ShardSummary summary =
          new ShardedPrediction(Json.mapper(), System.out, System.console() != null)
              .run(imagesDir, shard, out, new ImagePipeline(maxPixels), classifier, settings);
      run.logMetrics(metrics(summary), 0);
      run.logArtifact(out.resolve(shard.summaryFile()), "");
    }
    return 0;
  }

  private static Map<String, Double> metrics(ShardSummary summary) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("files", (double) summary.files());
    metrics.put("predicted", (double) summary.predicted());
    metrics.put("errors", (double) summary.errors());
    metrics.put("unsure", (double) summary.unsure());
    metrics.put(
        "unsure_share",
        summary.predicted() == 0 ? Double.NaN : (double) summary.unsure() / summary.predicted());
    metrics.put("images_per_second", summary.imagesPerSecond());
    metrics.put("seconds", summary.seconds());
    summary.classes().forEach((label, count) -> metrics.put("class/" + label, (double) count));
    return metrics;
  }
}
