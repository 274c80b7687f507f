package io.cifarserve.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PretrainedWeightsTest {

  @TempDir Path dir;

  /** Writes a safetensors file the way timm/torchvision name ResNet-18 tensors. */
  private Path imagenetWeights(NDManager manager, ResNet18 source) throws Exception {
    NDList tensors = new NDList();
    source
        .parameters()
        .forEach(
            (name, p) -> {
              NDArray copy = p.getArray().duplicate();
              copy.setName(name);
              tensors.add(copy);
            });
    NDArray head = manager.ones(new ai.djl.ndarray.types.Shape(1000, 64 * 8));
    head.setName("fc.weight");
    tensors.removeIf(a -> a.getName().startsWith("fc."));
    tensors.add(head);
    NDArray counter = manager.create(new long[] {7});
    counter.setName("bn1.num_batches_tracked");
    tensors.add(counter);
    Path file = dir.resolve("resnet18.safetensors");
    try (OutputStream out = Files.newOutputStream(file)) {
      tensors.encode(out, NDList.Encoding.SAFETENSORS);
    }
    return file;
  }

  @Test
  void loadsEveryBackboneTensorAndKeepsTheNewHead() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      Engine.getInstance().setRandomSeed(1);
      ResNet18 source = new ResNet18(ResNet18.Architecture.standard(Stem.IMAGENET, 10));
      source.initialize(manager, 32);
      Path weights = imagenetWeights(manager, source);
      Engine.getInstance().setRandomSeed(2);
      ResNet18 target = new ResNet18(ResNet18.Architecture.standard(Stem.IMAGENET, 10));
      target.initialize(manager, 32);
      float[] headBefore = target.parameters().get("fc.weight").getArray().toFloatArray();

      PretrainedWeights.Report report = PretrainedWeights.load(weights, target, manager);

      assertThat(report.loaded()).hasSize(target.parameters().size() - 2);
      assertThat(report.skipped())
          .anyMatch(s -> s.startsWith("fc.weight"))
          .anyMatch(s -> s.startsWith("bn1.num_batches_tracked"));
      for (String name : new String[] {"conv1.weight", "layer3.1.bn2.running_var"}) {
        assertThat(target.parameters().get(name).getArray().toFloatArray())
            .containsExactly(source.parameters().get(name).getArray().toFloatArray());
      }
      assertThat(target.parameters().get("fc.weight").getArray().toFloatArray())
          .containsExactly(headBefore);
    }
  }

  @Test
  void skipsTheStemConvolutionWhenItsShapeDiffers() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 source = new ResNet18(ResNet18.Architecture.standard(Stem.IMAGENET, 10));
      source.initialize(manager, 32);
      Path weights = imagenetWeights(manager, source);
      ResNet18 cifar = new ResNet18(ResNet18.Architecture.standard(Stem.CIFAR, 10));
      cifar.initialize(manager, 32);

      PretrainedWeights.Report report = PretrainedWeights.load(weights, cifar, manager);

      assertThat(report.skipped()).anyMatch(s -> s.startsWith("conv1.weight (shape"));
      assertThat(report.loaded()).contains("layer1.0.conv1.weight");
    }
  }

  @Test
  void refusesAFileWithNoMatchingNames() throws Exception {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray other = manager.ones(new ai.djl.ndarray.types.Shape(2));
      other.setName("encoder.embed");
      Path file = dir.resolve("other.safetensors");
      try (OutputStream out = Files.newOutputStream(file)) {
        new NDList(other).encode(out, NDList.Encoding.SAFETENSORS);
      }
      ResNet18 net = new ResNet18(new ResNet18.Architecture(Stem.CIFAR, 8, 10));
      net.initialize(manager, 32);

      assertThatThrownBy(() -> PretrainedWeights.load(file, net, manager))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no tensor matches");
    }
  }
}
