package io.cifarserve.training.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResNet18Test {

  @ParameterizedTest
  @CsvSource({"IMAGENET, 11181642", "CIFAR, 11173962", "CIFAR_STRIDE2, 11173962"})
  void hasTorchvisionResNet18ParameterCounts(Stem stem, long expected) {
    try (NDManager manager = NDManager.newBaseManager()) {
      ResNet18 net = new ResNet18(ResNet18.Architecture.standard(stem, 10));
      net.initialize(manager, 32);

      // torchvision resnet18 has 11,689,512 parameters with a 1000-class head.
      assertThat(net.trainableParameterCount()).isEqualTo(expected);
    }
  }

  @Test
  void namesParametersLikeTorchvision() {
    ResNet18 net = new ResNet18(new ResNet18.Architecture(Stem.CIFAR, 8, 10));

    assertThat(net.parameters())
        .containsKeys(
            "conv1.weight",
            "bn1.running_var",
            "layer1.0.bn1.running_mean",
            "layer2.0.downsample.0.weight",
            "layer4.1.conv2.weight",
            "fc.bias")
        .doesNotContainKeys("layer1.0.downsample.0.weight", "conv1.bias");
    assertThat(net.parameters()).hasSize(1 + 4 + 8 * 10 + 3 * 5 + 2);
  }
}
