package io.cifarserve.training;

import io.cifarserve.common.image.ImageDecoder;
import io.cifarserve.common.image.ImageDecodingException;
import io.cifarserve.common.image.ImagePreprocessor;
import io.cifarserve.common.model.Ranking;
import io.cifarserve.common.onnx.OnnxClassifier;
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
      "per file: time, image_filepath, prediction, class_index, probability, top_k. A file that",
      "cannot be read as an image gets a line with an error instead; the run goes on."
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
    ImageDecoder decoder = new ImageDecoder(maxPixels);
    int errors = 0;
    try (OnnxClassifier classifier = OnnxClassifier.load(model, 0);
        BufferedWriter writer = Files.newBufferedWriter(out)) {
      ImagePreprocessor preprocessor = ImagePreprocessor.forModel(classifier.metadata());
      for (int start = 0; start < files.size(); start += BATCH) {
        List<Path> chunk = files.subList(start, Math.min(files.size(), start + BATCH));
        List<Path> decoded = new ArrayList<>();
        List<float[]> tensors = new ArrayList<>();
        Map<Path, String> failures = new LinkedHashMap<>();
        for (Path file : chunk) {
          try {
            tensors.add(preprocessor.toTensor(decoder.decode(Files.readAllBytes(file))));
            decoded.add(file);
          } catch (ImageDecodingException | IOException e) {
            failures.put(file, e.getMessage());
          }
        }
        float[][] probabilities = classifier.probabilities(tensors);
        int next = 0;
        for (Path file : chunk) {
          Map<String, Object> line = new LinkedHashMap<>();
          line.put("time", Instant.now().toString());
          line.put("image_filepath", file.toString());
          if (failures.containsKey(file)) {
            line.put("error", failures.get(file));
            errors++;
          } else {
            describe(line, probabilities[next++], classifier.metadata().labels());
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

  private void describe(Map<String, Object> line, float[] probabilities, List<String> labels) {
    int[] best = Ranking.topK(probabilities, topK);
    line.put("prediction", labels.get(best[0]));
    line.put("class_index", best[0]);
    line.put("probability", probabilities[best[0]]);
    List<Map<String, Object>> top = new ArrayList<>();
    for (int index : best) {
      top.add(Map.of("label", labels.get(index), "probability", probabilities[index]));
    }
    line.put("top_k", top);
  }
}
