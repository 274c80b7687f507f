package io.cifarserve.benchmarks.inprocess;

import io.cifarserve.batch.Shard;
import io.cifarserve.batch.ShardedPrediction;
import io.cifarserve.classifier.image.ImageDecoder;
import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.classifier.pipeline.ImagePipeline;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import tools.jackson.databind.json.JsonMapper;

/**
 * One pass of {@code predict-dir} over a folder of pictures (batches of 64, one decoding thread or
 * one per core) against the single-image loop (read, decode, classify one picture at a time), with
 * the float model. Each call classifies the whole folder.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PredictDirThroughput {

  public enum Route {
    SINGLE_IMAGE_LOOP,
    PREDICT_DIR_ONE_DECODER,
    PREDICT_DIR_EVERY_CORE
  }

  @Param({"models/cifar10-resnet18.onnx"})
  public String model;

  @Param({"data/test"})
  public String images;

  @Param({"SINGLE_IMAGE_LOOP", "PREDICT_DIR_ONE_DECODER", "PREDICT_DIR_EVERY_CORE"})
  public Route route;

  private final ImagePipeline pipeline = new ImagePipeline(ImageDecoder.DEFAULT_MAX_PIXELS);
  private OnnxClassifier classifier;
  private List<Path> files;
  private Path output;

  @Setup
  public void load() throws IOException {
    classifier = OnnxClassifier.load(Path.of(model), 0);
    files = PredictDirThroughput.files(Path.of(images));
  }

  @Setup(Level.Invocation)
  public void freshOutput() throws IOException {
    // predict-dir resumes from what an output folder already holds: each pass starts empty.
    output = Files.createTempDirectory("predict-dir-benchmark");
  }

  @Benchmark
  public long classifyTheFolder() throws Exception {
    return switch (route) {
      case SINGLE_IMAGE_LOOP -> singleImageLoop();
      case PREDICT_DIR_ONE_DECODER -> predictDir(1);
      case PREDICT_DIR_EVERY_CORE -> predictDir(Runtime.getRuntime().availableProcessors());
    };
  }

  private long singleImageLoop() throws IOException {
    long classified = 0;
    for (Path file : files) {
      classified += pipeline.classify(List.of(Files.readAllBytes(file)), classifier, 5).size();
    }
    return classified;
  }

  private long predictDir(int decoders) throws Exception {
    PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
    return new ShardedPrediction(JsonMapper.builder().build(), quiet, false)
        .run(
            Path.of(images),
            Shard.ALL,
            output,
            pipeline,
            classifier,
            new ShardedPrediction.Settings(
                64, decoders, 5, Duration.ofSeconds(30), Duration.ofSeconds(60)))
        .predicted();
  }

  @TearDown(Level.Invocation)
  public void removeOutput() throws IOException {
    try (Stream<Path> walk = Files.walk(output)) {
      for (Path file : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    }
  }

  @TearDown
  public void close() {
    classifier.close();
  }

  /** The pictures under {@code folder}, as predict-dir finds them. */
  public static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }
}
