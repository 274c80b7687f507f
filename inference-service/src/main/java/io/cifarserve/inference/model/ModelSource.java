package io.cifarserve.inference.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/**
 * Reads the configured model location: the embedded default, a mounted model file, or a mounted
 * folder of model files (every {@code *.onnx} below it, in path order).
 */
@Component
public class ModelSource {

  private final ModelProperties properties;
  private final DefaultResourceLoader resources = new DefaultResourceLoader();

  /** One model file (or the embedded model) and how to tell whether it changed. */
  public record Entry(String source, Optional<Path> file) {

    public byte[] read(DefaultResourceLoader resources) {
      try (InputStream in =
          file.isPresent()
              ? Files.newInputStream(file.get())
              : resources.getResource(source).getInputStream()) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read model " + source, e);
      }
    }

    /** Size and modification time, or empty for a resource that cannot change. */
    public Optional<String> stamp() {
      return file.map(
          f -> {
            try {
              return Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
            } catch (IOException e) {
              return "unreadable";
            }
          });
    }
  }

  public ModelSource(ModelProperties properties) {
    this.properties = properties;
  }

  public String location() {
    return properties.location();
  }

  /** The models at the location now. */
  public List<Entry> entries() {
    Optional<Path> path = path();
    if (path.isPresent() && Files.isDirectory(path.get())) {
      try (Stream<Path> files = Files.walk(path.get())) {
        return files
            .filter(f -> Files.isRegularFile(f) && f.getFileName().toString().endsWith(".onnx"))
            .sorted()
            .map(f -> new Entry(f.toAbsolutePath().toString(), Optional.of(f)))
            .toList();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list models in " + path.get(), e);
      }
    }
    return List.of(new Entry(properties.location(), path));
  }

  public byte[] read(Entry entry) {
    return entry.read(resources);
  }

  /** Whether the location is a folder of models. */
  public boolean isFolder() {
    return path().map(Files::isDirectory).orElse(false);
  }

  /** The file or folder behind the location, when it is one (for watching). */
  public Optional<Path> path() {
    Resource resource = resources.getResource(properties.location());
    try {
      return resource.isFile() ? Optional.of(resource.getFile().toPath()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
