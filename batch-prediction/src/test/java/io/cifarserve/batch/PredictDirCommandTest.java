package io.cifarserve.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import io.cifarserve.onnxgraph.TestModels;
import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class PredictDirCommandTest {

  @TempDir Path dir;

  @Test
  void writesOneLinePerFileAndAnErrorLineForUnreadableOnes() throws Exception {
    Path model = Files.write(dir.resolve("model.onnx"), TestModels.colourClassifier());
    Path images = Files.createDirectories(dir.resolve("images/nested"));
    Files.write(dir.resolve("images/a-red.png"), TestImages.png(40, 40, Color.RED));
    Files.write(images.resolve("b-green.jpg"), TestImages.jpeg(32, 32, Color.GREEN));
    Files.writeString(dir.resolve("images/c-notes.txt"), "not a picture");
    Path out = dir.resolve("results");

    int exit =
        BatchPrediction.commandLine()
            .execute(
                "predict-dir",
                dir.resolve("images").toString(),
                "--model",
                model.toString(),
                "--out",
                out.toString(),
                "--top-k",
                "3");

    assertThat(exit).isZero();
    List<String> lines = Files.readAllLines(out.resolve("predictions-00000-of-00001.jsonl"));
    assertThat(lines).hasSize(3);
    JsonNode red = Json.mapper().readTree(lines.get(0));
    assertThat(red.get("image_filepath").asString()).endsWith("a-red.png");
    assertThat(red.get("prediction").asString()).isEqualTo("airplane");
    assertThat(red.get("class_index").asInt()).isZero();
    assertThat(red.get("probability").asDouble()).isBetween(0.0, 1.0);
    assertThat(red.get("top_k")).hasSize(3);
    assertThat(red.at("/top_k/0/label").asString()).isEqualTo("airplane");
    assertThat(Instant.parse(red.get("time").asString())).isNotNull();
    JsonNode notes = Json.mapper().readTree(lines.get(1));
    assertThat(notes.get("image_filepath").asString()).endsWith("c-notes.txt");
    assertThat(notes.get("error").asString()).contains("not a supported image");
    assertThat(notes.has("prediction")).isFalse();
    JsonNode green = Json.mapper().readTree(lines.get(2));
    assertThat(green.get("prediction").asString()).isEqualTo("automobile");
    assertThat(green.get("unsure").asBoolean()).isFalse();
    JsonNode summary = Json.mapper().readTree(out.resolve("summary-00000-of-00001.json").toFile());
    assertThat(summary.get("files").asInt()).isEqualTo(3);
    assertThat(summary.get("errors").asInt()).isEqualTo(1);
    assertThat(summary.at("/classes/airplane").asInt()).isEqualTo(1);
    assertThat(summary.get("modelName").asString()).isEqualTo("test-colour-classifier");
  }
}
