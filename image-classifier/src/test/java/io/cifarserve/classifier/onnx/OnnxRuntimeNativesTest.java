package io.cifarserve.classifier.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxRuntimeNativesTest {

  @TempDir Path dir;

  /**
   * A fresh JVM pointed at the copied libraries creates its ONNX Runtime environment without
   * unpacking anything into its temp folder; without them it unpacks its libraries there.
   */
  @Test
  void aProcessPointedAtTheCopyUnpacksNothing() throws Exception {
    Path natives = dir.resolve("natives");
    OnnxRuntimeNatives.copyTo(natives);
    for (String library : OnnxRuntimeNatives.LIBRARIES) {
      assertThat(natives.resolve(System.mapLibraryName(library))).isNotEmptyFile();
    }

    Path withCopy = Files.createDirectories(dir.resolve("tmp-with-copy"));
    assertThat(createEnvironment(withCopy, "-Donnxruntime.native.path=" + natives)).isZero();
    assertThat(unpacked(withCopy)).isEmpty();

    Path without = Files.createDirectories(dir.resolve("tmp-without"));
    assertThat(createEnvironment(without)).isZero();
    assertThat(unpacked(without)).isNotEmpty();
  }

  private int createEnvironment(Path temp, String... options) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + temp));
    command.addAll(List.of(options));
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), EnvironmentProbe.class.getName()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("probe-" + System.nanoTime() + ".log").toFile())
            .start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return process.exitValue();
  }

  /**
   * The libraries ONNX Runtime unpacked into the probe's temp folder (it makes an {@code
   * onnxruntime-java*} folder either way), as the probe listed them while running: they go when it
   * exits.
   */
  private static List<String> unpacked(Path temp) throws Exception {
    return Files.readAllLines(temp.resolve("listing.txt")).stream()
        .map(line -> Path.of(line).getFileName().toString())
        .filter(name -> name.endsWith(".so") || name.endsWith(".dylib") || name.endsWith(".dll"))
        .toList();
  }

  /** Creates the environment, then lists its temp folder while ONNX Runtime's files are there. */
  static final class EnvironmentProbe {
    public static void main(String[] args) throws Exception {
      OrtEnvironments.get();
      Path temp = Path.of(System.getProperty("java.io.tmpdir"));
      try (Stream<Path> entries = Files.walk(temp)) {
        List<String> files = entries.filter(Files::isRegularFile).map(Path::toString).toList();
        Files.writeString(temp.resolve("listing.txt"), String.join("\n", files));
      }
    }
  }
}
