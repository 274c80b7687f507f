package io.cifarserve.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.cifarserve.onnxgraph.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

/**
 * {@code predict-dir} over a folder of fuzzed files (any bytes, any of the picture extensions): the
 * run finishes with exit 0, every file gets exactly one line (a prediction or an error), and the
 * summary adds up. Each input is its own folder.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PredictDirFuzzTest {

  private static final Path MODEL = model();
  private static final String[] EXTENSIONS = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".txt", ""};

  @FuzzTest
  void predictDir(FuzzedDataProvider data) throws IOException {
    Path dir = Files.createTempDirectory("predict-dir-fuzz");
    try {
      Path images = Files.createDirectories(dir.resolve("images"));
      int files = data.consumeInt(1, 4);
      for (int i = 0; i < files; i++) {
        byte[] content =
            i == files - 1
                ? data.consumeRemainingAsBytes()
                : data.consumeBytes(data.consumeInt(0, 4096));
        Files.write(images.resolve(i + data.pickValue(EXTENSIONS)), content);
      }
      Path out = dir.resolve("out");

      int exit =
          BatchPrediction.commandLine()
              .execute(
                  "predict-dir",
                  images.toString(),
                  "--model",
                  MODEL.toString(),
                  "--out",
                  out.toString());

      assertThat(exit).isZero();
      List<String> lines = Files.readAllLines(out.resolve("predictions-00000-of-00001.jsonl"));
      assertThat(lines).hasSize(files);
      int errors = 0;
      for (String line : lines) {
        JsonNode prediction = Json.mapper().readTree(line);
        assertThat(prediction.has("error") ^ prediction.has("prediction")).as(line).isTrue();
        errors += prediction.has("error") ? 1 : 0;
      }
      JsonNode summary =
          Json.mapper().readTree(out.resolve("summary-00000-of-00001.json").toFile());
      assertThat(summary.get("files").asInt()).isEqualTo(files);
      assertThat(summary.get("errors").asInt()).isEqualTo(errors);
      assertThat(summary.get("predicted").asInt()).isEqualTo(files - errors);
    } finally {
      delete(dir);
    }
  }

  private static Path model() {
    try {
      Path file = Files.createTempFile("fuzz-model", ".onnx");
      file.toFile().deleteOnExit();
      return Files.write(file, TestModels.colourClassifier());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
