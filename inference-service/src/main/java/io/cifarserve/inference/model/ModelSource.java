package io.cifarserve.inference.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.stereotype.Component;

/** Reads the configured model location: the embedded default or a mounted file. */
@Component
public class ModelSource {

  private final ModelProperties properties;
  private final DefaultResourceLoader resources = new DefaultResourceLoader();

  public ModelSource(ModelProperties properties) {
    this.properties = properties;
  }

  public String location() {
    return properties.location();
  }

  public byte[] read() {
    Resource resource = resources.getResource(properties.location());
    try (InputStream in = resource.getInputStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model " + properties.location(), e);
    }
  }

  /** The file behind the location, when it is one (for watching). */
  public Optional<Path> file() {
    Resource resource = resources.getResource(properties.location());
    try {
      return resource.isFile() ? Optional.of(resource.getFile().toPath()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
