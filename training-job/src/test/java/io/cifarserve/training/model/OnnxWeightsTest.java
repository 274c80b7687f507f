package io.cifarserve.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.common.testing.TestMetadata;
import io.cifarserve.training.export.OnnxExporter;
import io.cifarserve.training.testing.Networks;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An exported float model's weights go back into a network of the same architecture. */
class OnnxWeightsTest {

  @TempDir Path dir;

  @Test
  void everyParameterComesBackFromAFlipAveragedExport() throws Exception {
    Engine.getInstance().setRandomSeed(3);
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 trained = network(Stem.CIFAR_STRIDE2, 8, manager);
      Networks.randomiseBatchNorm(trained, new Random(1));
      Path onnx =
          Files.write(
              dir.resolve("model.onnx"),
              OnnxExporter.export(
                  trained,
                  TestMetadata.colourClassifierMetadata("1", 32),
                  TestTimeAugmentation.HORIZONTAL_FLIP));
      ResNet18 fresh = network(Stem.CIFAR_STRIDE2, 8, manager);

      int loaded = OnnxWeights.load(onnx, fresh);

      assertThat(loaded).isEqualTo(trained.parameters().size());
      trained
          .parameters()
          .forEach(
              (name, p) ->
                  assertThat(fresh.parameters().get(name).getArray().toFloatArray())
                      .as(name)
                      .containsExactly(p.getArray().toFloatArray()));
    }
  }

  @Test
  void refusesAModelOfAnotherArchitectureNamingTheTensor() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Path onnx =
          Files.write(
              dir.resolve("narrow.onnx"),
              OnnxExporter.export(
                  network(Stem.CIFAR_STRIDE2, 4, manager),
                  TestMetadata.colourClassifierMetadata("1", 32)));

      assertThatThrownBy(() -> OnnxWeights.load(onnx, network(Stem.CIFAR_STRIDE2, 8, manager)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("conv1.weight has shape")
          .hasMessageContaining("another stem or width");
      Path notOnnx = Files.writeString(dir.resolve("notes.onnx"), "not a model");
      assertThatThrownBy(() -> OnnxWeights.load(notOnnx, network(Stem.CIFAR_STRIDE2, 4, manager)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static ResNet18 network(Stem stem, int width, NDManager manager) {
    ResNet18 net = new ResNet18(new ResNet18.Architecture(stem, width, 10));
    net.initialize(manager, 32);
    return net;
  }
}
