package io.cifarserve.batch;

import io.cifarserve.classifier.pipeline.ImagePipeline;
import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.model.ModelMetadata;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Classifies one shard of a folder into {@code predictions-0000I-of-0000N.jsonl}, continuing an
 * earlier attempt's file, then writes the shard's {@code summary-0000I-of-0000N.json}.
 */
public final class ShardedPrediction {

  /** How to run: batch size, decoding threads, how to report progress. */
  public record Settings(
      int batchSize, int decodeThreads, int topK, Duration progressEvery, Duration syncEvery) {}

  private final JsonMapper json;
  private final PrintStream out;
  private final boolean terminal;

  public ShardedPrediction(JsonMapper json, PrintStream out, boolean terminal) {
    this.json = json;
    this.out = out;
    this.terminal = terminal;
  }

  /** The files under {@code folder} that belong to {@code shard}, in name order. */
  public static List<Path> filesOf(Path folder, Shard shard) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile)
          .filter(file -> shard.owns(folder.relativize(file)))
          .sorted()
          .toList();
    }
  }

  public ShardSummary run(
      Path folder,
      Shard shard,
      Path outDir,
      ImagePipeline pipeline,
      ImagePipeline.Classifier classifier,
      Settings settings)
      throws IOException {
    long started = System.nanoTime();
    List<Path> files = filesOf(folder, shard);
    Files.createDirectories(outDir);
    Path predictions = outDir.resolve(shard.predictionsFile());
    int done = 0;
    int resumed;
    try (ShardOutput output = ShardOutput.resume(predictions, this::fileOf, settings.syncEvery())) {
      resumed = output.alreadyDone();
      if (resumed > 0 || output.droppedPartialLines() > 0) {
        out.printf(
            "shard %d of %d: continuing %s: %,d files already done%s%n",
            shard.index(),
            shard.count(),
            predictions,
            resumed,
            output.droppedPartialLines() > 0 ? ", a cut-off last line removed" : "");
      }
      List<Path> todo = files.stream().filter(f -> !output.done(f.toString())).toList();
      out.printf(
          "shard %d of %d: %,d files, %,d to classify%n",
          shard.index(), shard.count(), files.size(), todo.size());
      Progress progress = new Progress(out, terminal, todo.size(), settings.progressEvery());
      try (BatchPredictor predictor =
          new BatchPredictor(pipeline, classifier, settings.topK(), settings.decodeThreads())) {
        List<List<Path>> batches = new ArrayList<>();
        for (int i = 0; i < todo.size(); i += settings.batchSize()) {
          batches.add(todo.subList(i, Math.min(todo.size(), i + settings.batchSize())));
        }
        BatchPredictor.Pending next = batches.isEmpty() ? null : predictor.start(batches.get(0));
        for (int b = 0; b < batches.size(); b++) {
          BatchPredictor.Pending current = next;
          next = b + 1 < batches.size() ? predictor.start(batches.get(b + 1)) : null;
          for (BatchPredictor.Outcome outcome : current.classify()) {
            output.append(json.writeValueAsString(line(outcome)));
          }
          output.flush();
          done += batches.get(b).size();
          progress.update(done);
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    ShardSummary summary =
        summarise(predictions, shard, classifier.metadata(), resumed, seconds, done);
    writeAtomically(
        outDir.resolve(shard.summaryFile()),
        json.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
    out.printf(
        "shard %d of %d: %,d predictions and %,d errors in %s (%.1f files/s this attempt)%n",
        shard.index(),
        shard.count(),
        summary.predicted(),
        summary.errors(),
        predictions,
        summary.imagesPerSecond());
    return summary;
  }

  /** One file's JSON line: {@code time}, {@code image_filepath}, then the answer or the error. */
  static Map<String, Object> line(BatchPredictor.Outcome outcome) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("time", Instant.now().toString());
    line.put("image_filepath", outcome.file().toString());
    PredictionResponse prediction = outcome.prediction();
    if (prediction == null) {
      line.put("error", outcome.error());
      return line;
    }
    line.put("prediction", prediction.label());
    line.put("class_index", prediction.classIndex());
    line.put("probability", (float) prediction.probability());
    line.put("unsure", prediction.unsure());
    List<Map<String, Object>> top = new ArrayList<>();
    for (PredictionResponse.ClassProbability c : prediction.topK()) {
      top.add(Map.of("label", c.label(), "probability", (float) c.probability()));
    }
    line.put("top_k", top);
    return line;
  }

  private String fileOf(String line) {
    try {
      JsonNode node = json.readTree(line);
      JsonNode path = node == null ? null : node.get("image_filepath");
      return path == null || !path.isString() ? null : path.asString();
    } catch (RuntimeException e) {
      return null;
    }
  }

  private ShardSummary summarise(
      Path predictions,
      Shard shard,
      ModelMetadata model,
      long resumed,
      double seconds,
      long classifiedNow)
      throws IOException {
    long files = 0;
    long predicted = 0;
    long errors = 0;
    long unsure = 0;
    Map<String, Long> classes = new TreeMap<>();
    try (Stream<String> lines = Files.lines(predictions)) {
      for (String text : (Iterable<String>) lines::iterator) {
        JsonNode line = json.readTree(text);
        files++;
        if (line.has("error")) {
          errors++;
        } else {
          predicted++;
          classes.merge(line.get("prediction").asString(), 1L, Long::sum);
          unsure += line.path("unsure").asBoolean(false) ? 1 : 0;
        }
      }
    }
    return new ShardSummary(
        shard.index(),
        shard.count(),
        files,
        predicted,
        errors,
        unsure,
        classes,
        model.name(),
        model.version(),
        resumed,
        seconds,
        classifiedNow / Math.max(1e-9, seconds));
  }

  static void writeAtomically(Path file, String content) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(temp, content);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
