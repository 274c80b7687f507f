package io.cifarserve.training;

import io.cifarserve.common.api.PredictionResponse;
import io.cifarserve.common.onnx.OnnxClassifier;
import io.cifarserve.common.pipeline.ImagePipeline;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;

@Command(
    name = "predict-dir",
    mixinStandardHelpOptions = true,
    description = {
      "Classifies every file under a folder (recursively, in name order) and writes one JSON line",
      "per file: time, image_filepath, prediction, class_index, probability, unsure, top_k. A file",
      "that cannot be read as an image gets a line with an error instead; the run goes on."
    })
final class PredictDirCommand implements Callable<Integer> {

  private static final int BATCH = 64;

  @Parameters(index = "0", paramLabel = "IMAGES_DIR", description = "Folder of images.")
  Path imagesDir;

  @Option(names = "--model", required = true, description = "ONNX model exported by train.")
  Path model;

  @Option(names = "--out", required = true, description = "JSON Lines file to write.")
  Path out;

  @Option(names = "--top-k", defaultValue = "5", description = "Default: ${DEFAULT-VALUE}.")
  int topK;

  @Option(
      names = "--max-pixels",
      defaultValue = "50000000",
      description = "Refuse images with more pixels than this. Default: ${DEFAULT-VALUE}.")
  long maxPixels;

  private final JsonMapper json = Json.mapper();

  @Override
  public Integer call() throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(imagesDir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    ImagePipeline pipeline = new ImagePipeline(maxPixels);
    int errors = 0;
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0);
        BufferedWriter writer = Files.newBufferedWriter(out)) {
      for (int start = 0; start < files.size(); start += BATCH) {
        List<Path> chunk = files.subList(start, Math.min(files.size(), start + BATCH));
        List<Path> read = new ArrayList<>();
        List<byte[]> pictures = new ArrayList<>();
        Map<Path, String> failures = new LinkedHashMap<>();
        for (Path file : chunk) {
          try {
            pictures.add(Files.readAllBytes(file));
            read.add(file);
          } catch (IOException e) {
            failures.put(file, "cannot read: " + e.getMessage());
          }
        }
        List<ImagePipeline.Result> results = pipeline.classify(pictures, classifier, topK);
        for (int i = 0; i < read.size(); i++) {
          if (!results.get(i).ok()) {
            failures.put(read.get(i), results.get(i).error().getMessage());
          }
        }
        int next = 0;
        for (Path file : chunk) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("time", Instant.now().toString());
          line.put("image_filepath", file.toString());
          ImagePipeline.Result result = read.contains(file) ? results.get(next++) : null;
          if (failures.containsKey(file)) {
            line.put("error", failures.get(file));
            errors++;
          } else {
            describe(line, result.prediction());
          }
          writer.write(json.writeValueAsString(line));
          writer.newLine();
        }
      }
    }
    System.out.printf(
        "wrote %d predictions and %d errors to %s%n", files.size() - errors, errors, out);
    return 0;
  }

  private static void describe(Map<String, Object> line, PredictionResponse prediction) {
    line.put("prediction", prediction.label());
    line.put("class_index", prediction.classIndex());
    line.put("probability", (float) prediction.probability());
    line.put("unsure", prediction.unsure());
    List<Map<String, Object>> top = new ArrayList<>();
    for (PredictionResponse.ClassProbability c : prediction.topK()) {
      top.add(Map.of("label", c.label(), "probability", (float) c.probability()));
    }
    line.put("top_k", top);
  }
}
