package io.cifarserve.common.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The test class path, for tests that start a command or service as a process of its own. */
public final class TestClassPath {

  private TestClassPath() {}

  /**
   * A jar whose manifest lists the test class path, to pass as {@code -cp}. ONNX Runtime 1.29
   * crashes the JVM (SIGSEGV) when the class path is passed as a very long {@code -cp} string; the
   * same class path through a manifest works.
   */
  public static Path pathingJar() {
    try {
      StringBuilder classPath = new StringBuilder();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          classPath.append(Path.of(entry).toUri().toURL()).append(' ');
        }
      }
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString().trim());
      Path jar = Files.createTempFile("test-classpath", ".jar");
      jar.toFile().deleteOnExit();
      try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
        // the manifest is the whole jar
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
