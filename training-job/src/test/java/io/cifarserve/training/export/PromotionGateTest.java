package io.cifarserve.training.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.classifier.onnx.OnnxClassifier;
import io.cifarserve.common.model.ModelMetadata;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.onnxgraph.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionGateTest {

  @TempDir Path dir;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(log, true);

  private Path model(String version, double accuracy) throws Exception {
    ModelMetadata metadata =
        TestMetadata.colourClassifierMetadata(version, 32)
            .withEvaluation(Map.of("test_accuracy", accuracy), "card " + version);
    Path file = dir.resolve("candidate-" + version + ".onnx");
    Files.write(file, TestModels.colourClassifier(metadata));
    return file;
  }

  private String currentVersion(Path published) {
    try (OnnxClassifier current = OnnxClassifier.load(published.resolve("model.onnx"), 1)) {
      return current.metadata().version();
    }
  }

  @Test
  void publishesTheFirstModelAndBetterOnesOnly() throws Exception {
    Path published = dir.resolve("published");

    assertThat(PromotionGate.publish(model("1", 0.80), List.of(), published, false, out)).isTrue();
    assertThat(PromotionGate.publish(model("2", 0.75), List.of(), published, false, out)).isFalse();
    assertThat(currentVersion(published)).isEqualTo("1");
    assertThat(log.toString())
        .contains("current model test accuracy 0.8000, candidate 0.7500")
        .contains("not published");

    assertThat(PromotionGate.publish(model("3", 0.80), List.of(), published, false, out)).isTrue();
    assertThat(currentVersion(published)).isEqualTo("3");
  }

  @Test
  void forcePublishesALessAccurateModel() throws Exception {
    Path published = dir.resolve("published");
    PromotionGate.publish(model("1", 0.9), List.of(), published, false, out);

    assertThat(PromotionGate.publish(model("2", 0.1), List.of(), published, true, out)).isTrue();
    assertThat(currentVersion(published)).isEqualTo("2");
  }

  @Test
  void copiesCompanionFilesBesideTheModel() throws Exception {
    Path card = Files.writeString(dir.resolve("MODEL_CARD.md"), "# card");
    Path published = dir.resolve("published");

    PromotionGate.publish(model("1", 0.5), List.of(card), published, false, out);

    assertThat(published.resolve("MODEL_CARD.md")).hasContent("# card");
    try (var files = Files.list(published)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".partial");
    }
  }
}
