package io.cifarserve.training.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import io.cifarserve.training.model.ResNet18;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * A run's state after an epoch: weights, momentum buffers and any weight average in safetensors
 * (torchvision names; momentum under {@code momentum/}, the average under {@code average/}), the
 * rest in JSON. Both files are replaced atomically, so an interrupted save leaves the previous
 * checkpoint intact.
 */
public final class Checkpoint {

  static final String WEIGHTS = "checkpoint.safetensors";
  static final String STATE = "checkpoint.json";
  private static final String MOMENTUM_PREFIX = "momentum/";
  private static final String AVERAGE_PREFIX = "average/";

  private final Path dir;
  private final JsonMapper json;

  public Checkpoint(Path dir, JsonMapper json) {
    this.dir = dir;
    this.json = json;
  }

  public boolean exists() {
    return Files.isRegularFile(dir.resolve(WEIGHTS)) && Files.isRegularFile(dir.resolve(STATE));
  }

  void save(ResNet18 net, Sgd sgd, Optional<WeightAverage> average, CheckpointState state) {
    NDList arrays = new NDList();
    net.parameters().forEach((name, p) -> arrays.add(named(p.getArray(), name)));
    sgd.momentumBuffers().forEach((name, a) -> arrays.add(named(a, MOMENTUM_PREFIX + name)));
    average.ifPresent(
        a -> a.buffers().forEach((name, m) -> arrays.add(named(m, AVERAGE_PREFIX + name))));
    try {
      Files.createDirectories(dir);
      Path weights = Files.createTempFile(dir, WEIGHTS, ".partial");
      try (OutputStream out = Files.newOutputStream(weights)) {
        arrays.encode(out, NDList.Encoding.SAFETENSORS);
      }
      Path stateFile = Files.createTempFile(dir, STATE, ".partial");
      json.writerWithDefaultPrettyPrinter().writeValue(stateFile.toFile(), state);
      Files.move(weights, dir.resolve(WEIGHTS), StandardCopyOption.ATOMIC_MOVE);
      Files.move(stateFile, dir.resolve(STATE), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint in " + dir, e);
    }
  }

  /** Reads only the JSON part: options and history. */
  public CheckpointState readState() {
    return json.readValue(dir.resolve(STATE).toFile(), CheckpointState.class);
  }

  /** Loads the last weights into {@code net}: those trained, not any average of them. */
  public CheckpointState restore(ResNet18 net, NDManager manager) {
    return restore(net, Optional.empty(), Optional.empty(), manager);
  }

  /** Loads the weights into {@code net}, and momentum and weight average when given. */
  CheckpointState restore(
      ResNet18 net, Optional<Sgd> sgd, Optional<WeightAverage> average, NDManager manager) {
    try (InputStream in = Files.newInputStream(dir.resolve(WEIGHTS));
        NDManager scratch = manager.newSubManager()) {
      NDList arrays = NDList.decode(scratch, in);
      for (NDArray array : arrays) {
        String name = array.getName();
        if (name.startsWith(MOMENTUM_PREFIX)) {
          String parameter = name.substring(MOMENTUM_PREFIX.length());
          sgd.map(s -> s.momentumBuffers().get(parameter))
              .ifPresent(buffer -> buffer.set(array.toByteBuffer()));
        } else if (name.startsWith(AVERAGE_PREFIX)) {
          String parameter = name.substring(AVERAGE_PREFIX.length());
          average
              .map(a -> a.buffers().get(parameter))
              .ifPresent(buffer -> buffer.set(array.toByteBuffer()));
        } else {
          copyInto(net.parameters(), name, array);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint in " + dir, e);
    }
    return readState();
  }

  private void copyInto(Map<String, Parameter> parameters, String name, NDArray array) {
    Parameter target = parameters.get(name);
    if (target == null || !target.getArray().getShape().equals(array.getShape())) {
      throw new IllegalStateException(
          "checkpoint in %s does not fit this network: %s %s"
              .formatted(dir, name, array.getShape()));
    }
    target.getArray().set(array.toByteBuffer());
  }

  private static NDArray named(NDArray array, String name) {
    NDArray copy = array.stopGradient();
    copy.setName(name);
    return copy;
  }
}
