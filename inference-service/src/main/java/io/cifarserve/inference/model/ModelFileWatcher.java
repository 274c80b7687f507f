package io.cifarserve.inference.model;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/**
 * Reloads a model when its file is replaced (for example by {@code training-job train
 * --publish-to}, which renames a complete file into place), and for a model folder also serves
 * added files and stops serving deleted ones. Only for file and folder locations, and only when
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
    if (!properties.watch() || source.path().isEmpty()) {
      return;
    }
    Path location = source.path().get().toAbsolutePath();
    Path folder = source.isFolder() ? location : location.getParent();
    if (!Files.isDirectory(folder)) {
      log.warn("not watching {}: its folder does not exist", location);
      return;
    }
    watcher = FileSystems.getDefault().newWatchService();
    register(folder);
    Thread thread = new Thread(() -> watch(location), "model-file-watcher");
    thread.setDaemon(true);
    thread.start();
    log.info("watching {} for new models", location);
  }

  /** The folder and, for a model folder, every folder below it. */
  private void register(Path folder) throws IOException {
    List<Path> folders;
    try (Stream<Path> walk = source.isFolder() ? Files.walk(folder) : Stream.of(folder)) {
      folders = walk.filter(Files::isDirectory).toList();
    }
    for (Path dir : folders) {
      dir.register(
          watcher,
          StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY,
          StandardWatchEventKinds.ENTRY_DELETE);
    }
  }

  private void watch(Path location) {
    try {
      while (true) {
        WatchKey key = watcher.take();
        boolean ours = source.isFolder();
        for (WatchEvent<?> event : key.pollEvents()) {
          ours |= location.getFileName().equals(event.context());
        }
        key.reset();
        if (ours) {
          TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS); // let a copy in progress finish
          key.pollEvents();
          reload(location);
        }
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      // shutting down
    }
  }

  private void reload(Path location) {
    try {
      if (source.isFolder()) {
        register(location); // new sub-folders
      }
      loader.loadConfigured(false);
    } catch (RuntimeException | IOException e) {
      log.warn("new model files in {} refused, still serving the previous models", location);
    }
  }

  @Override
  public void destroy() throws IOException {
    if (watcher != null) {
      watcher.close();
    }
  }
}
