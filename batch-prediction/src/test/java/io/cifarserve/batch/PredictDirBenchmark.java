package io.cifarserve.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * predict-dir's throughput on the 10,000 CIFAR-10 test pictures with the shipped model, against the
 * single-image loop (read, decode, classify one picture at a time), in one run. Run with {@code
 * ./mvnw -pl batch-prediction -am test -Dgroups=benchmark -Dsurefire.excludedGroups=
 * -Dtest=PredictDirBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; {@code
 * -Dbenchmark.images=DIR} takes another folder.
 */
@Tag("benchmark")
class PredictDirBenchmark {

  private static final Path MODEL = Path.of("..", "models", "cifar10-resnet18.onnx");
  private static final Path DATASET =
      Path.of("..", "..", "shared", "datasets", "cifar10-jpg.tar.gz");

  @TempDir Path dir;

  @Test
  void batchedAndParallelAgainstTheSingleImageLoop() throws Exception {
    Path images = images();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(images)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    int cores = Runtime.getRuntime().availableProcessors();
    ImagePipeline pipeline = new ImagePipeline(50_000_000);
    try (OnnxClassifier classifier = OnnxClassifier.load(MODEL, 0)) {
      long started = System.nanoTime();
      for (Path file : files) {
        pipeline.classify(List.of(Files.readAllBytes(file)), classifier, 5);
      }
      double single = files.size() / ((System.nanoTime() - started) / 1e9);

      double oneDecoder = sharded(images, pipeline, classifier, 1, "one");
      double parallel = sharded(images, pipeline, classifier, cores, "all");

      System.out.printf(
          "%npredict-dir on %,d pictures, %d cores, model %s%n", files.size(), cores, MODEL);
      System.out.println("| path | images/s | ratio to the single-image loop |");
      System.out.println("|---|---:|---:|");
      System.out.printf("| single-image loop (batch 1, one thread) | %.1f | 1.00 |%n", single);
      System.out.printf(
          "| predict-dir, batch 64, 1 decoding thread | %.1f | %.2f |%n",
          oneDecoder, oneDecoder / single);
      System.out.printf(
          "| predict-dir, batch 64, %d decoding threads | %.1f | %.2f |%n",
          cores, parallel, parallel / single);
      assertThat(parallel).isPositive();
    }
  }

  private double sharded(
      Path images, ImagePipeline pipeline, OnnxClassifier classifier, int decoders, String name)
      throws Exception {
    ShardSummary summary =
        new ShardedPrediction(JsonMapper.builder().build(), System.out, false)
            .run(
                images,
                Shard.ALL,
                dir.resolve("out-" + name),
                pipeline,
                classifier,
                new ShardedPrediction.Settings(
                    64, decoders, 5, Duration.ofSeconds(30), Duration.ofSeconds(60)));
    return summary.imagesPerSecond();
  }

  private Path images() throws Exception {
    String given = System.getProperty("benchmark.images");
    if (given != null) {
      return Path.of(given);
    }
    Assumptions.assumeTrue(Files.isRegularFile(DATASET), "no " + DATASET + " on this machine");
    Path test = dir.resolve("cifar10");
    try (InputStream in = Files.newInputStream(DATASET);
        TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(in))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path name = Path.of(entry.getName()).normalize();
        if (entry.isFile()
            && name.getNameCount() == 3
            && name.getName(0).toString().equals("test")) {
          Path target = test.resolve(name);
          Files.createDirectories(target.getParent());
          Files.write(target, tar.readAllBytes());
        }
      }
    }
    return test.resolve("test");
  }
}
