package io.cifarserve.inference.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Reads the configured model location: the embedded models (a pattern), a mounted model file, or a
 * mounted folder of model files (every {@code *.onnx} below it, in path order). A location without
 * a {@code classpath:} or {@code file:} prefix is a file-system path, as an operator writes it. A
 * location that cannot be read stops start-up: a service that could never become ready is worse
 * than one that does not start.
 */
@Component
public class ModelSource {

  private final ModelProperties properties;
  private static final Pattern URL_PREFIX = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*\\*?:.*");

  private final String location;
  private final ResourceLoader resources = new DefaultResourceLoader();
  private final Optional<RegisteredModel> registered;

  /** One model file (or the embedded model) and how to tell whether it changed. */
  public record Entry(String source, Optional<Path> file) {

    public byte[] read(ResourceLoader resources) {
      try (InputStream in =
          file.isPresent()
              ? Files.newInputStream(file.get())
              : resources.getResource(source).getInputStream()) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read model " + source, e);
      }
    }

    /** Path, size and modification time, or empty for a resource that cannot change. */
    public Optional<String> stamp() {
      return file.map(
          f -> {
            try {
              return f + ":" + Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
            } catch (IOException e) {
              return "unreadable";
            }
          });
    }
  }

  public ModelSource(ModelProperties properties) {
    this(properties, new MlflowProperties(null));
  }

  @Autowired
  public ModelSource(ModelProperties properties, MlflowProperties mlflow) {
    this.properties = properties;
    this.registered =
        RegisteredModel.isRegistryLocation(properties.location())
            ? Optional.of(
                new RegisteredModel(
                    properties.location(), mlflow.settings(), properties.registryCacheFolder()))
            : Optional.empty();
    this.location =
        registered.isPresent() ? properties.location() : asResourceLocation(properties.location());
    requireReadable();
  }

  /** Whether the location names a model in MLflow's registry ({@code models:/...}). */
  public boolean isRegistry() {
    return registered.isPresent();
  }

  /**
   * A plain path is a file-system path ({@code file:}), absolute or relative to the working folder.
   */
  private static String asResourceLocation(String location) {
    return URL_PREFIX.matcher(location).matches()
        ? location
        : "file:" + Path.of(location).toAbsolutePath().normalize();
  }

  private void requireReadable() {
    String location = properties.location();
    if (registered.isPresent()) {
      try {
        registered.get().file();
      } catch (RuntimeException e) {
        throw new UnreadableModelLocationException(location, e.getMessage());
      }
      return;
    }
    if (location.contains("*")) {
      if (matching(this.location).isEmpty()) {
        throw new UnreadableModelLocationException(location, "no .onnx file matches it");
      }
      return;
    }
    Optional<Path> path = path();
    if (path.isPresent()) {
      requireReadable(location, path.get());
    } else if (!resources.getResource(this.location).exists()) {
      throw new UnreadableModelLocationException(location, "no such resource");
    }
  }

  private static void requireReadable(String location, Path path) {
    if (!Files.exists(path)) {
      throw new UnreadableModelLocationException(location, "no such file or folder: " + path);
    }
    if (!Files.isReadable(path) || (Files.isDirectory(path) && !Files.isExecutable(path))) {
      throw new UnreadableModelLocationException(location, "not readable by this process: " + path);
    }
  }

  public String location() {
    return properties.location();
  }

  /** The models at the location now. */
  public List<Entry> entries() {
    if (registered.isPresent()) {
      return List.of(new Entry(location, Optional.of(registered.get().file())));
    }
    if (location.contains("*")) {
      return matching(location);
    }
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
    return List.of(new Entry(location, path));
  }

  /**
   * The resources a pattern such as {@code classpath:models/*.onnx} matches (the embedded models,
   * also inside a jar), named by the pattern's folder and their file name. A model's file name
   * without {@code .onnx} orders them, so {@code cifar10-resnet18} loads before {@code
   * cifar10-resnet18-int8}.
   */
  private List<Entry> matching(String pattern) {
    String folder = pattern.substring(0, pattern.lastIndexOf('/') + 1);
    try {
      return Arrays.stream(new PathMatchingResourcePatternResolver(resources).getResources(pattern))
          .map(Resource::getFilename)
          .filter(name -> name != null && name.endsWith(".onnx"))
          .sorted(Comparator.comparing((String name) -> name.substring(0, name.length() - 5)))
          .map(name -> new Entry(folder + name, Optional.empty()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list models matching " + pattern, e);
    }
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
    if (registered.isPresent()) {
      return Optional.empty(); // watched through the registry, not the file system
    }
    Resource resource = resources.getResource(location);
    try {
      return resource.isFile() ? Optional.of(resource.getFile().toPath()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
