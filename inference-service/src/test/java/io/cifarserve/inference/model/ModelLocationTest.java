package io.cifarserve.inference.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cifarserve.inference.support.ServiceProcess;
import io.cifarserve.inference.support.TestModelFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How MODEL_PATH is read: the forms the docs give, and a location that cannot be read. */
class ModelLocationTest {

  private static ModelSource source(String location) {
    return new ModelSource(
        new ModelProperties(location, 0, 2, true, null, java.time.Duration.ofSeconds(30), null));
  }

  @Test
  void aPlainPathToAFileIsThatFile() throws IOException {
    Path model = TestModelFiles.colourClassifier();

    ModelSource source = source(model.toString());

    assertThat(source.entries())
        .extracting(ModelSource.Entry::file)
        .containsExactly(Optional.of(model));
    assertThat(source.read(source.entries().get(0))).isEqualTo(Files.readAllBytes(model));
  }

  @Test
  void aPlainPathToAFolderServesEveryModelBelowIt() {
    Path folder = TestModelFiles.colourClassifier().getParent();

    ModelSource source = source(folder.toString());

    assertThat(source.isFolder()).isTrue();
    assertThat(source.entries()).hasSize(1);
  }

  @Test
  void aRelativePathIsResolvedAgainstTheWorkingFolder() {
    assertThat(source("pom.xml").path()).contains(Path.of("pom.xml").toAbsolutePath());
  }

  @Test
  void fileUrlsAndTheEmbeddedPatternStillWork() {
    Path model = TestModelFiles.colourClassifier();

    assertThat(source("file:" + model).entries()).hasSize(1);
    assertThat(source("classpath:models/*.onnx").entries())
        .extracting(ModelSource.Entry::source)
        .containsExactly(
            "classpath:models/cifar10-resnet18.onnx",
            "classpath:models/cifar10-resnet18-int8.onnx");
  }

  @Test
  void aMissingLocationIsRefusedWithTheLocationAndTheReason(@TempDir Path dir) {
    String missing = dir.resolve("model.onnx").toString();

    assertThatThrownBy(() -> source(missing))
        .isInstanceOf(UnreadableModelLocationException.class)
        .hasMessage(
            "MODEL_PATH=" + missing + " cannot be read: no such file or folder: " + missing);
    assertThatThrownBy(() -> source("classpath:models/none-*.onnx"))
        .hasMessageContaining("no .onnx file matches it");
    assertThatThrownBy(() -> source("classpath:no-such-model.onnx"))
        .hasMessageContaining("no such resource");
  }

  @Test
  void aServiceGivenAMissingLocationStopsAtStartUpSayingWhatToSet(@TempDir Path dir)
      throws Exception {
    String missing = dir.resolve("model.onnx").toString();
    try (ServiceProcess service = ServiceProcess.start(Map.of("MODEL_PATH", missing))) {
      assertThat(service.process().waitFor(60, TimeUnit.SECONDS)).isTrue();

      assertThat(service.process().exitValue()).isNotZero();
      assertThat(service.output())
          .contains("MODEL_PATH=" + missing + " cannot be read: no such file or folder")
          .contains("Set MODEL_PATH to a readable .onnx file");
    }
  }
}
