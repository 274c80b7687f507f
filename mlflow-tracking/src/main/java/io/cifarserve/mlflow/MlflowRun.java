package io.cifarserve.mlflow;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A run recorded on an MLflow server. Starting it needs the server; after that, the server's
 * troubles never stop the work: a failed call is retried a few times, then kept in order with the
 * calls after it and sent when the server answers again, with a warning either way. The command's
 * own output folder stays the source of truth.
 */
public final class MlflowRun implements TrackedRun {

  /** Calls kept while the server is away; the oldest are dropped beyond this, with a warning. */
  static final int MAX_WAITING = 10_000;

  private final MlflowClient client;
  private final RunInfo info;
  private final PrintStream warnings;
  private final Retry retry;
  private final Deque<Call> waiting = new ArrayDeque<>();
  private final Set<String> refused = new HashSet<>();
  private boolean away;
  private int dropped;
  private boolean ended;

  private record Call(String what, Runnable action) {}

  private MlflowRun(MlflowClient client, RunInfo info, PrintStream warnings, Retry retry) {
    this.client = client;
    this.info = info;
    this.warnings = warnings;
    this.retry = retry;
  }

  /**
   * Creates the run, in the settings' experiment (created if new).
   *
   * @throws TrackingUnavailableException the server cannot be reached or refuses: tracking was
   *     asked for, so the command should not start without it
   */
  public static MlflowRun start(
      MlflowClient client, String runName, Map<String, String> tags, PrintStream out) {
    return start(client, runName, tags, out, Retry.DEFAULT);
  }

  static MlflowRun start(
      MlflowClient client, String runName, Map<String, String> tags, PrintStream out, Retry retry) {
    MlflowSettings settings = client.settings();
    try {
      String experiment = client.experimentId(settings.experimentName());
      RunInfo info = client.createRun(experiment, runName, System.currentTimeMillis(), tags);
      out.printf(
          "MLflow: run %s in experiment '%s' at %s%n",
          info.runId(), settings.experimentName(), settings.trackingUri());
      return new MlflowRun(client, info, out, retry);
    } catch (MlflowException e) {
      throw new TrackingUnavailableException(
          "tracking was asked for (%s=%s) but the run could not start: %s. Unset %s to run without tracking."
              .formatted(
                  MlflowSettings.TRACKING_URI,
                  settings.trackingUri(),
                  e.getMessage(),
                  MlflowSettings.TRACKING_URI),
          e);
    }
  }

  @Override
  public Optional<RunInfo> info() {
    return Optional.of(info);
  }

  @Override
  public void logParams(Map<String, String> params) {
    submit("parameters", () -> client.logBatch(info.runId(), List.of(), params, Map.of()));
  }

  @Override
  public void logMetrics(Map<String, Double> metrics, long step) {
    long now = System.currentTimeMillis();
    List<Metric> batch =
        metrics.entrySet().stream()
            .map(e -> new Metric(e.getKey(), e.getValue(), now, step))
            .toList();
    submit("metrics", () -> client.logBatch(info.runId(), batch, Map.of(), Map.of()));
  }

  @Override
  public void setTags(Map<String, String> tags) {
    submit("tags", () -> client.logBatch(info.runId(), List.of(), Map.of(), tags));
  }

  @Override
  public void logArtifact(Path file, String folder) {
    String path =
        folder.isEmpty() ? file.getFileName().toString() : folder + "/" + file.getFileName();
    submit("artifact " + path, () -> client.uploadArtifact(info.artifactUri(), path, file));
  }

  @Override
  public synchronized Optional<ModelVersion> registerModel(
      String name, String folder, Map<String, String> tags, String alias) {
    if (!catchUp()) {
      warnings.printf(
          "MLflow: warning: model %s not registered, the server is away; its files are in the run"
              + " folder%n",
          name);
      return Optional.empty();
    }
    List<String> missing =
        refused.stream().filter(what -> what.startsWith("artifact " + folder + "/")).toList();
    if (!missing.isEmpty()) {
      warnings.printf(
          "MLflow: warning: model %s not registered, the server refused %s; its files are in the"
              + " run folder%n",
          name, missing);
      return Optional.empty();
    }
    try {
      ModelVersion version =
          retry.call(
              () ->
                  client.createModelVersion(
                      name, info.artifactUri().replaceAll("/+$", "") + "/" + folder, info.runId()));
      tags.forEach(
          (key, value) ->
              retry.run(() -> client.setModelVersionTag(name, version.version(), key, value)));
      retry.run(() -> client.setAlias(name, alias, version.version()));
      warnings.printf(
          "MLflow: registered %s version %s, alias '%s'%n", name, version.version(), alias);
      return Optional.of(version);
    } catch (MlflowException e) {
      warnings.printf("MLflow: warning: model %s not registered: %s%n", name, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public synchronized void end(RunStatus status) {
    if (ended) {
      return;
    }
    ended = true;
    boolean complete = catchUp();
    try {
      retry.run(() -> client.updateRun(info.runId(), status, System.currentTimeMillis()));
      warnings.printf("MLflow: run %s ended %s%n", info.runId(), status);
    } catch (MlflowException e) {
      warnings.printf(
          "MLflow: warning: run %s could not be marked %s (%s)%n",
          info.runId(), status, e.getMessage());
      complete = false;
    }
    if (!complete || dropped > 0) {
      warnings.printf(
          "MLflow: warning: the server missed %d records of run %s; the run folder has them all%n",
          waiting.size() + dropped, info.runId());
    }
  }

  private synchronized void submit(String what, Runnable action) {
    if (ended) {
      return;
    }
    waiting.addLast(new Call(what, action));
    if (waiting.size() > MAX_WAITING) {
      waiting.removeFirst();
      dropped++;
    }
    catchUp();
  }

  /** Sends the waiting calls in order; false when the server is still away. */
  private boolean catchUp() {
    while (!waiting.isEmpty()) {
      Call next = waiting.peekFirst();
      try {
        retry.run(next.action());
        waiting.removeFirst();
        if (away) {
          away = false;
          warnings.println("MLflow: the server answers again; sending what it missed");
        }
      } catch (MlflowException e) {
        if (e.isTransient()) {
          if (!away) {
            away = true;
            warnings.printf(
                "MLflow: warning: %s not recorded (%s); carrying on, the run folder is the source"
                    + " of truth, and retrying with the next record%n",
                next.what(), e.getMessage());
          }
          return false;
        }
        waiting.removeFirst();
        dropped++;
        refused.add(next.what());
        warnings.printf(
            "MLflow: warning: the server refused %s: %s%n", next.what(), e.getMessage());
      }
    }
    return true;
  }

  /** A few tries with a doubling pause, for calls the server may answer on a second try. */
  record Retry(int attempts, long firstPauseMillis) {

    static final Retry DEFAULT = new Retry(3, 500);

    void run(Runnable call) {
      call(
          () -> {
            call.run();
            return null;
          });
    }

    <T> T call(Supplier<T> call) {
      long pause = firstPauseMillis;
      for (int attempt = 1; ; attempt++) {
        try {
          return call.get();
        } catch (MlflowException e) {
          if (!e.isTransient() || attempt >= attempts) {
            throw e;
          }
        }
        try {
          Thread.sleep(pause);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MlflowException(0, "", "interrupted while waiting to retry", e);
        }
        pause *= 2;
      }
    }
  }
}
