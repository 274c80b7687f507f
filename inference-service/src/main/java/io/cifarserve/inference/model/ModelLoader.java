package io.cifarserve.inference.model;

import io.cifarserve.common.onnx.InvalidModelException;
import io.cifarserve.inference.engine.ModelEngine;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Loads the configured model after start-up, in the background: the process is live at once and
 * becomes ready (readiness probe UP) only when the model is loaded and warmed up.
 */
@Component
public class ModelLoader implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

  private final ModelRegistry registry;
  private final ModelSource source;

  public ModelLoader(ModelRegistry registry, ModelSource source) {
    this.registry = registry;
    this.source = source;
  }

  @Override
  public void run(ApplicationArguments args) {
    Thread loader = new Thread(this::loadQuietly, "model-loader");
    loader.setDaemon(true);
    loader.start();
  }

  private void loadQuietly() {
    try {
      loadConfigured();
    } catch (RuntimeException e) {
      // already logged; the service stays not-ready until a good model arrives
    }
  }

  /** Loads the model at the configured location; a bad one is refused and logged. */
  public ModelEngine loadConfigured() {
    try {
      return registry.load(source.read(), source.location());
    } catch (InvalidModelException | UncheckedIOException e) {
      registry.recordRefused();
      log.error("refused model at {}: {}", source.location(), e.getMessage());
      throw e;
    }
  }
}
