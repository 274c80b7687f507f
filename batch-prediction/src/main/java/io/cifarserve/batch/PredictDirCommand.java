package io.cifarserve.batch;

import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

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

  @Override
  public Integer call() throws IOException {
    Shard shard = new Shard(shardIndex, shardCount);
    ShardedPrediction.Settings settings =
        new ShardedPrediction.Settings(
            batchSize,
            decodeThreads != null ? decodeThreads : Runtime.getRuntime().availableProcessors(),
            topK,
            Duration.ofSeconds(progressSeconds),
            Duration.ofSeconds(syncSeconds));
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0)) {
      new ShardedPrediction(Json.mapper(), System.out, System.console() != null)
          .run(imagesDir, shard, out, new ImagePipeline(maxPixels), classifier, settings);
    }
    return 0;
  }
}
