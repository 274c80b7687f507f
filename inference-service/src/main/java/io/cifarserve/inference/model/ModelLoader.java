package io.cifarserve.inference.model;

import io.cifarserve.classifier.onnx.InvalidModelException;
import io.cifarserve.inference.engine.ModelEngine;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

/**
 * Loads the configured model in the background from the moment this bean exists, so that the model
 * loads while the rest of the application starts rather than after it (about 3 s of a cold start).
 * The process is live as soon as it listens, and ready (readiness probe UP) only when the model is
 * loaded and warmed up.
 */
@Component
public class ModelLoader implements InitializingBean {

  private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

  private final ModelRegistry registry;
  private final ModelSource source;
  private final Map<String, String> stamps = new HashMap<>();

  public ModelLoader(ModelRegistry registry, ModelSource source) {
    this.registry = registry;
    this.source = source;
  }

  @Override
  public void afterPropertiesSet() {
    Thread loader = new Thread(this::loadQuietly, "model-loader");
    loader.setDaemon(true);
    loader.start();
  }

  private void loadQuietly() {
    try {
      loadConfigured(true);
    } catch (RuntimeException e) {
      // already logged; the service stays not-ready until a good model arrives
    }
  }

  /**
   * Loads the models at the configured location that are new or changed since they were loaded,
   * and, for a folder, stops serving those whose file is gone. A bad model is refused and logged;
   * the others still load.
   *
   * @param force load every model again, changed or not
   * @return the engines loaded
   * @throws RuntimeException the first refusal, if no model loaded at all
   */
  public synchronized List<ModelEngine> loadConfigured(boolean force) {
    List<ModelSource.Entry> entries = source.entries();
    List<ModelEngine> loaded = new ArrayList<>();
    RuntimeException firstRefusal = null;
    for (ModelSource.Entry entry : entries) {
      Optional<String> stamp = entry.stamp();
      if (!force
          && registry.sources().contains(entry.source())
          && stamp.isPresent()
          && stamp.get().equals(stamps.get(entry.source()))) {
        continue;
      }
      try {
        loaded.add(registry.load(source.read(entry), entry.source()));
        stamp.ifPresent(s -> stamps.put(entry.source(), s));
      } catch (InvalidModelException | UncheckedIOException e) {
        registry.recordRefused();
        log.error("refused model at {}: {}", entry.source(), e.getMessage());
        firstRefusal = firstRefusal == null ? e : firstRefusal;
      }
    }
    if (source.isFolder()) {
      registry.retainSources(
          entries.stream().map(ModelSource.Entry::source).collect(Collectors.toSet()));
    }
    if (loaded.isEmpty() && firstRefusal != null) {
      throw firstRefusal;
    }
    return loaded;
  }
}
