package io.cifarserve.inference.model;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Reloads the model when its file is replaced (for example by {@code training-job train
 * --publish-to}, which renames a complete file into place). Only for file locations, and only when
 * {@code inference.model.watch} is on.
 */
@Component
public class ModelFileWatcher implements ApplicationRunner, DisposableBean {

  private static final Logger log = LoggerFactory.getLogger(ModelFileWatcher.class);
  private static final long SETTLE_MILLIS = 300;

  private final ModelSource source;
  private final ModelLoader loader;
  private final ModelProperties properties;
  private WatchService watcher;

  public ModelFileWatcher(ModelSource source, ModelLoader loader, ModelProperties properties) {
    this.source = source;
    this.loader = loader;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) throws IOException {
    if (!properties.watch() || source.file().isEmpty()) {
      return;
    }
    Path file = source.file().get().toAbsolutePath();
    if (!java.nio.file.Files.isDirectory(file.getParent())) {
      log.warn("not watching {}: its folder does not exist", file);
      return;
    }
    watcher = FileSystems.getDefault().newWatchService();
    file.getParent()
        .register(
            watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    Thread thread = new Thread(() -> watch(file), "model-file-watcher");
    thread.setDaemon(true);
    thread.start();
    log.info("watching {} for new models", file);
  }

  private void watch(Path file) {
    try {
      while (true) {
        WatchKey key = watcher.take();
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          ours |= file.getFileName().equals(event.context());
        }
        key.reset();
        if (ours) {
          TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS); // let a copy in progress finish
          key.pollEvents();
          reload(file);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // shutting down
    }
  }

  private void reload(Path file) {
    try {
      loader.loadConfigured();
    } catch (RuntimeException e) {
      log.warn("new model file {} refused, still serving the previous model", file);
    }
  }

  @Override
  public void destroy() throws IOException {
    if (watcher != null) {
      watcher.close();
    }
  }
}
