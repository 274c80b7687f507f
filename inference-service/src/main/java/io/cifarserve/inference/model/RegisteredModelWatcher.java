package io.cifarserve.inference.model;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * For a {@code models:/NAME@ALIAS} location, asks the registry where the alias points every {@code
 * inference.model.registry-poll}, and loads the new version when it moved (a promotion elsewhere
 * moved it). What is served stays if the registry cannot be reached or the new version is refused.
 */
@Component
public class RegisteredModelWatcher implements ApplicationRunner, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(RegisteredModelWatcher.class);

  private final ModelSource source;
  private final ModelLoader loader;
  private final ModelProperties properties;
  private ScheduledExecutorService poller;

  public RegisteredModelWatcher(
      ModelSource source, ModelLoader loader, ModelProperties properties) {
    this.source = source;
    this.loader = loader;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (!properties.watch() || !source.isRegistry()) {
      return;
    }
    poller =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "registry-alias-watcher");
              thread.setDaemon(true);
              return thread;
            });
    long every = properties.registryPoll().toMillis();
    poller.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    log.info("asking the registry for {} every {}", source.location(), properties.registryPoll());
  }

  private void poll() {
    try {
      loader.loadConfigured(false);
    } catch (RuntimeException e) {
      log.warn("{}: still serving the previous model: {}", source.location(), e.getMessage());
    }
  }

  @Override
  public void destroy() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
