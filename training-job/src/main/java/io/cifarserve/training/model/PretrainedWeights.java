package io.cifarserve.training.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads ImageNet ResNet-18 weights saved as safetensors with torchvision/timm names into a {@link
 * ResNet18}. The classifier head ({@code fc.*}) is left as initialised: CIFAR-10 has 10 classes.
 */
public final class PretrainedWeights {

  private PretrainedWeights() {}

  /** Which tensors were taken and which were left out, with the reason. */
  public record Report(List<String> loaded, List<String> skipped) {}

  public static Report load(Path safetensors, ResNet18 net, NDManager manager) {
    List<String> loaded = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try (InputStream in = Files.newInputStream(safetensors);
        NDManager scratch = manager.newSubManager()) {
      NDList arrays = NDList.decode(scratch, in);
      for (NDArray array : arrays) {
        String name = array.getName();
        Parameter target = net.parameters().get(name);
        if (name.startsWith("fc.")) {
          skipped.add(name + " (classifier head replaced)");
        } else if (target == null) {
          skipped.add(name + " (not in this network)");
        } else if (!target.getArray().getShape().equals(array.getShape())) {
          skipped.add(
              "%s (shape %s, network has %s)"
                  .formatted(name, array.getShape(), target.getArray().getShape()));
        } else {
          target
              .getArray()
              .set(array.toType(target.getArray().getDataType(), false).toByteBuffer());
          loaded.add(name);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read pretrained weights " + safetensors, e);
    }
    if (loaded.isEmpty()) {
      throw new IllegalArgumentException(
          safetensors + ": no tensor matches a ResNet-18 parameter name (e.g. conv1.weight)");
    }
    return new Report(loaded, skipped);
  }
}
