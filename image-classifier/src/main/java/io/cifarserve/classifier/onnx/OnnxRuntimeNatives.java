package io.cifarserve.classifier.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Copies ONNX Runtime's native libraries for this platform out of its jar into a folder, once, for
 * an image that starts many times. Started with {@code -Donnxruntime.native.path=FOLDER}, ONNX
 * Runtime loads them from there instead of unpacking 28 MB into the temp folder at every start,
 * which Cloud Run keeps in memory.
 *
 * <pre>java -cp 'app.jar:lib/*' io.cifarserve.classifier.onnx.OnnxRuntimeNatives FOLDER</pre>
 */
public final class OnnxRuntimeNatives {

  /** What ONNX Runtime's Java binding loads, in the order it loads them. */
  static final List<String> LIBRARIES = List.of("onnxruntime", "onnxruntime4j_jni");

  private OnnxRuntimeNatives() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: OnnxRuntimeNatives FOLDER");
      System.exit(2);
    }
    copyTo(Path.of(args[0]));
  }

  /**
   * Writes the libraries into {@code folder}, creating it.
   *
   * @throws IllegalStateException the ONNX Runtime jar has none for this platform
   */
  public static void copyTo(Path folder) throws IOException {
    Files.createDirectories(folder);
    for (String library : LIBRARIES) {
      String file = System.mapLibraryName(library);
      String resource = "/ai/onnxruntime/native/" + platform() + "/" + file;
      try (InputStream in = OnnxRuntimeNatives.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("no " + resource + " on the class path");
        }
        Files.copy(in, folder.resolve(file), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  /** The jar's folder name for this operating system and architecture, as ONNX Runtime names it. */
  static String platform() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    String osPart =
        os.contains("linux")
            ? "linux"
            : os.contains("mac") ? "osx" : os.contains("win") ? "win" : os;
    String archPart =
        switch (arch) {
          case "amd64", "x86_64" -> "x64";
          case "aarch64", "arm64" -> "aarch64";
          default -> arch;
        };
    return osPart + "-" + archPart;
  }
}
