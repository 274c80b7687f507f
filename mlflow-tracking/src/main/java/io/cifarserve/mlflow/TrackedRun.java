package io.cifarserve.mlflow;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a command records about itself while it runs. {@link #NONE} records nothing, for runs
 * without a tracking server; {@link MlflowRun} records to one and never stops the work when the
 * server misbehaves.
 */
public interface TrackedRun {

  TrackedRun NONE =
      new TrackedRun() {
        @Override
        public void logParams(Map<String, String> params) {}

        @Override
        public void logMetrics(Map<String, Double> metrics, long step) {}

        @Override
        public void setTags(Map<String, String> tags) {}

        @Override
        public void logArtifact(Path file, String folder) {}

        @Override
        public Optional<ModelVersion> registerModel(
            String name, String folder, Map<String, String> tags, String alias) {
          return Optional.empty();
        }

        @Override
        public Optional<RunInfo> info() {
          return Optional.empty();
        }

        @Override
        public void end(RunStatus status) {}
      };

  /** Parameters are written once: logging a key again with another value is refused. */
  void logParams(Map<String, String> params);

  /** Values measured at {@code step}; non-finite values are left out. */
  void logMetrics(Map<String, Double> metrics, long step);

  void setTags(Map<String, String> tags);

  /**
   * Uploads a file as an artifact.
   *
   * @param folder the artifact folder it goes in, slash-separated; empty for the run's root
   */
  void logArtifact(Path file, String folder);

  /**
   * Registers the model in this run's artifact {@code folder} as a new version of {@code name},
   * tags it, and points {@code alias} at it.
   *
   * @return the new version, empty when not tracking or when the server could not be reached
   */
  Optional<ModelVersion> registerModel(
      String name, String folder, Map<String, String> tags, String alias);

  /** The run on the server, when tracking. */
  Optional<RunInfo> info();

  /** Ends the run with this status; later calls change nothing. */
  void end(RunStatus status);
}
