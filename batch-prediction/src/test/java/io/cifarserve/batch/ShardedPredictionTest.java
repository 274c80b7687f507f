package io.cifarserve.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.Cifar10;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.testing.TestClassPath;
import io.cifarserve.common.testing.TestImages;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.mlflow.FakeMlflowServer;
import io.cifarserve.mlflow.GitCommit;
import io.cifarserve.mlflow.RecordedRun;
import io.cifarserve.onnxgraph.OnnxGraphBuilder;
import io.cifarserve.onnxgraph.TestModels;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** predict-dir as Cloud Run Job tasks run it: separate processes, killed and retried. */
class ShardedPredictionTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  /** Environment variables the shard processes get on top of this one's. */
  private final Map<String, String> environment = new HashMap<>();

  /** {@code n} small pictures in ten class folders, and one file that is no picture. */
  private Path folder(String name, int n) throws Exception {
    Path root = dir.resolve(name);
    Random random = new Random(n);
    for (int i = 0; i < n; i++) {
      Path sub = Files.createDirectories(root.resolve("c" + (i % 10)));
      Color colour = new Color(random.nextInt(1 << 24));
      Files.write(sub.resolve("p%04d.png".formatted(i)), TestImages.png(24, 24, colour));
    }
    Files.writeString(root.resolve("c0/notes.txt"), "not a picture");
    return root;
  }

  private Process shard(Path images, Path model, Path out, int index, int count, String... more)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(TestClassPath.pathingJar().toString());
    command.add(BatchPrediction.class.getName());
    command.addAll(
        List.of(
            "predict-dir",
            images.toString(),
            "--model",
            model.toString(),
            "--out",
            out.toString(),
            "--shard-index",
            Integer.toString(index),
            "--shard-count",
            Integer.toString(count)));
    command.addAll(List.of(more));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(
                dir.resolve("shard-" + index + "-" + System.nanoTime() + ".log").toFile());
    builder.environment().putAll(environment);
    return builder.start();
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      lines.add(JSON.readTree(line));
    }
    return lines;
  }

  private static Set<String> allFiles(Path root) throws Exception {
    Set<String> files = new HashSet<>();
    try (var walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(f -> files.add(f.toString()));
    }
    return files;
  }

  @Test
  void eachTrackedShardRecordsAnMlflowRunWithItsCounts() throws Exception {
    Path images = folder("images", 40);
    Path model = Files.write(dir.resolve("model.onnx"), TestModels.colourClassifier());
    Path out = dir.resolve("out");
    try (FakeMlflowServer server = FakeMlflowServer.start()) {
      environment.put("MLFLOW_TRACKING_URI", server.uri().toString());
      environment.put("MLFLOW_EXPERIMENT_NAME", "batch");
      List<Process> shards =
          List.of(shard(images, model, out, 0, 2), shard(images, model, out, 1, 2));
      for (Process p : shards) {
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
      }
      assertThat(server.violations()).isEmpty();
      assertThat(server.runs()).hasSize(2).allMatch(r -> r.status.equals("FINISHED"));
      double files = 0;
      for (RecordedRun run : server.runs()) {
        assertThat(run.params)
            .containsEntry(
                "model_name", TestMetadata.colourClassifierMetadata("1", Cifar10.IMAGE_SIZE).name())
            .containsEntry("shard-count", "2")
            .containsKey("model_sha256");
        // The shards run inside this checkout, so git names the commit.
        assertThat(run.tags).containsEntry("mlflow.source.git.commit", GitCommit.current());
        assertThat(run.metric("images_per_second"))
            .singleElement()
            .satisfies(v -> assertThat(v).isPositive());
        files += run.metric("files").get(0);
        assertThat(server.artifactPaths(run.id)).singleElement().asString().startsWith("summary-");
      }
      assertThat(files).isEqualTo(41); // 40 pictures and the text file
    }
  }

  @Test
  void threeShardProcessesClassifyEveryFileExactlyOnce() throws Exception {
    Path images = folder("images", 90);
    Path model = Files.write(dir.resolve("model.onnx"), TestModels.colourClassifier());
    Path out = dir.resolve("out");

    List<Process> shards = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      shards.add(shard(images, model, out, i, 3));
    }
    for (Process p : shards) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      for (JsonNode line : lines(out.resolve(new Shard(i, 3).predictionsFile()))) {
        seen.add(line.get("image_filepath").asString());
        assertThat(line.has("time")).isTrue();
        assertThat(line.has("prediction") || line.has("error")).isTrue();
      }
    }
    assertThat(seen).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).isEqualTo(allFiles(images));

    ShardMerge.Report report = new ShardMerge(JSON).merge(out);
    assertThat(report.shards()).isEqualTo(3);
    assertThat(report.files()).isEqualTo(91);
    assertThat(report.errors()).isEqualTo(1);
    assertThat(report.predicted()).isEqualTo(90);
    assertThat(report.classes().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(90);
    assertThat(report.modelName()).isEqualTo("test-colour-classifier");
    assertThat(JSON.readTree(out.resolve("summary.json").toFile()).get("files").asLong())
        .isEqualTo(91);
  }

  @Test
  void theSameFilesCreatedInAnotherOrderGoToTheSameShards() throws Exception {
    Path forwards = folder("forwards", 40);
    Path backwards = Files.createDirectories(dir.resolve("backwards"));
    List<Path> files = new ArrayList<>();
    try (var walk = Files.walk(forwards)) {
      walk.filter(Files::isRegularFile).forEach(files::add);
    }
    for (int i = files.size() - 1; i >= 0; i--) {
      Path target = backwards.resolve(forwards.relativize(files.get(i)));
      Files.createDirectories(target.getParent());
      Files.copy(files.get(i), target);
    }
    Files.writeString(backwards.resolve("extra-file.txt"), "added later");

    for (int i = 0; i < 4; i++) {
      Shard shard = new Shard(i, 4);
      List<Path> a =
          ShardedPrediction.filesOf(forwards, shard).stream().map(forwards::relativize).toList();
      List<Path> b =
          ShardedPrediction.filesOf(backwards, shard).stream()
              .map(backwards::relativize)
              .filter(p -> !p.toString().equals("extra-file.txt"))
              .toList();
      assertThat(b).isEqualTo(a);
    }
  }

  @Test
  void aShardKilledMidWayContinuesWithNoDuplicateAndNoMissingLine() throws Exception {
    Path images = folder("images", 400);
    Path model = Files.write(dir.resolve("slow.onnx"), slowClassifier());
    Path out = dir.resolve("out");
    Path predictions = out.resolve(Shard.ALL.predictionsFile());

    Process first = shard(images, model, out, 0, 1, "--batch-size", "4", "--decode-threads", "1");
    long written = 0;
    for (int i = 0; i < 3000 && written < 40; i++) {
      Thread.sleep(10);
      written = Files.exists(predictions) ? Files.readAllLines(predictions).size() : 0;
    }
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    long atKill = Files.readAllLines(predictions).size();
    assertThat(atKill).as("killed mid-way").isBetween(40L, 300L);
    // As if the kill had come in the middle of writing a line.
    Files.writeString(
        predictions,
        "{\"time\":\"2026-12-03T06:00:00Z\",\"image_filepath\":\"",
        StandardOpenOption.APPEND);

    Process retry = shard(images, model, out, 0, 1, "--batch-size", "4");
    assertThat(retry.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(retry.exitValue()).isZero();

    List<JsonNode> lines = lines(predictions);
    List<String> paths = lines.stream().map(l -> l.get("image_filepath").asString()).toList();
    assertThat(paths).doesNotHaveDuplicates();
    assertThat(new HashSet<>(paths)).isEqualTo(allFiles(images));
    assertThat(Files.readString(predictions, StandardCharsets.UTF_8)).endsWith("}\n");
    ShardSummary summary =
        JSON.readValue(out.resolve(Shard.ALL.summaryFile()).toFile(), ShardSummary.class);
    assertThat(summary.files()).isEqualTo(401);
    assertThat(summary.resumedFrom()).isEqualTo(atKill);
  }

  /**
   * A classifier slow enough to be killed mid-way: ten 3x3 convolutions of 32 channels at 32x32
   * (about 100 M multiply-adds a picture), then the colour classifier's labels.
   */
  static byte[] slowClassifier() {
    ModelMetadata metadata = TestMetadata.colourClassifierMetadata("slow", Cifar10.IMAGE_SIZE);
    OnnxGraphBuilder graph = new OnnxGraphBuilder("slow", 32, 10);
    Random random = new Random(3);
    String x = "input";
    int channels = 3;
    for (int layer = 0; layer < 10; layer++) {
      float[] w = new float[32 * channels * 9];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) (random.nextGaussian() * 0.05);
      }
      String weight = graph.initializer("w" + layer, w, 32, channels, 3, 3);
      x =
          graph.node(
              "Conv",
              List.of(x, weight),
              "conv" + layer,
              OnnxGraphBuilder.Attribute.ints("pads", 1, 1, 1, 1));
      channels = 32;
    }
    String pooled = graph.node("GlobalAveragePool", List.of(x), "pooled");
    String flat =
        graph.node(
            "Flatten", List.of(pooled), "flat", OnnxGraphBuilder.Attribute.integer("axis", 1));
    String fc = graph.initializer("fc", new float[10 * 32], 10, 32);
    graph.node(
        "Gemm", List.of(flat, fc), "logits", OnnxGraphBuilder.Attribute.integer("transB", 1));
    return graph.toBytes(metadata.toProperties());
  }
}
