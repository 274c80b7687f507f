package io.cifarserve.training.tracking;

import io.cifarserve.mlflow.TrackedRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Uploads what a command wrote into its output folder as the run's artifacts: the files changed
 * since the command started (an earlier run's files in the same folder stay out), checkpoints
 * excepted. A model file and its card and metrics also go into {@code model/}, the folder a
 * registered version points at. Each file is uploaded once, however often {@link #logNew} runs.
 */
public final class RunArtifacts {

  /** The artifact folder holding the model files, registered as a version's source. */
  public static final String MODEL_FOLDER = "model";

  private static final List<String> KINDS = List.of(".onnx", ".md", ".json", ".png", ".jsonl");
  private static final Set<String> BESIDE_MODEL = Set.of("MODEL_CARD.md", "metrics.json");

  private final TrackedRun run;
  private final Path folder;
  private final Instant started;
  private final Set<String> uploaded = new HashSet<>();

  public RunArtifacts(TrackedRun run, Path folder, Instant started) {
    this.run = run;
    this.folder = folder;
    // file systems with coarse timestamps round down
    this.started = started.truncatedTo(ChronoUnit.SECONDS);
  }

  /** Uploads the files written since the start and not uploaded yet. */
  public void logNew() {
    if (run.info().isEmpty() || !Files.isDirectory(folder)) {
      return;
    }
    for (Path file : written()) {
      String relative = folder.relativize(file).toString().replace('\\', '/');
      String stamp = relative + "@" + modified(file);
      if (!uploaded.add(stamp)) {
        continue;
      }
      Path parent = folder.relativize(file).getParent();
      String artifactFolder = parent == null ? "" : parent.toString().replace('\\', '/');
      String name = file.getFileName().toString();
      boolean model = parent == null && name.endsWith(".onnx") && !name.contains("-int8");
      if (!model) {
        run.logArtifact(file, name.endsWith("-int8.onnx") ? "int8" : artifactFolder);
      }
      if (model || (parent == null && BESIDE_MODEL.contains(file.getFileName().toString()))) {
        run.logArtifact(file, MODEL_FOLDER);
      }
    }
  }

  private List<Path> written() {
    try (Stream<Path> files = Files.walk(folder, 2)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> KINDS.stream().anyMatch(f.getFileName().toString()::endsWith))
          .filter(f -> !f.getFileName().toString().startsWith("checkpoint"))
          .filter(f -> !modified(f).isBefore(started))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + folder, e);
    }
  }

  private static Instant modified(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return Instant.MIN;
    }
  }
}
