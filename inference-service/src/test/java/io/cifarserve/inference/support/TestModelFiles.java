package io.cifarserve.inference.support;

import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.onnxgraph.TestModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test models written to files, for services configured with {@code file:} locations. */
public final class TestModelFiles {

  private TestModelFiles() {}

  /**
   * A fresh folder holding the calibrated colour classifier (version "1") as model.onnx: red, green
   * and blue pictures are confident answers, grey ones unsure.
   */
  public static Path colourClassifier() {
    try {
      Path dir = Files.createTempDirectory("inference-test-model");
      return Files.write(
          dir.resolve("model.onnx"),
          TestModels.colourClassifier(TestMetadata.calibratedColourClassifierMetadata("1")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] version(String version) {
    return TestModels.colourClassifier(TestMetadata.colourClassifierMetadata(version, 32));
  }
}
