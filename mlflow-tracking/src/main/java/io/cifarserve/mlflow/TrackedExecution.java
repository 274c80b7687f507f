package io.cifarserve.mlflow;

import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;

/**
 * Runs a command inside an MLflow run when tracking is configured: the run ends {@code FINISHED}
 * when the command returns 0, {@code FAILED} when it fails or returns another code, and {@code
 * KILLED} when the process is stopped meanwhile (Ctrl-C, SIGTERM).
 */
public final class TrackedExecution {

  /** The command's work, given the run it records to. */
  @FunctionalInterface
  public interface Work {
    int run(TrackedRun run) throws Exception;
  }

  private TrackedExecution() {}

  /**
   * @param settings the tracking server, or empty to run untracked
   * @param tags the run's tags, such as {@link StandardTags}
   * @param params the command's options, logged before the work starts
   * @throws TrackingUnavailableException tracking was configured and the run cannot start
   */
  public static int run(
      Optional<MlflowSettings> settings,
      String runName,
      Map<String, String> tags,
      Map<String, String> params,
      PrintStream out,
      Work work)
      throws Exception {
    if (settings.isEmpty()) {
      return work.run(TrackedRun.NONE);
    }
    MlflowRun run = MlflowRun.start(new MlflowClient(settings.get()), runName, tags, out);
    Thread killed = new Thread(() -> run.end(RunStatus.KILLED), "mlflow-run-killed");
    Runtime.getRuntime().addShutdownHook(killed);
    RunStatus status = RunStatus.FAILED;
    try {
      run.logParams(params);
      int code = work.run(run);
      status = code == 0 ? RunStatus.FINISHED : RunStatus.FAILED;
      return code;
    } finally {
      run.end(status);
      try {
        Runtime.getRuntime().removeShutdownHook(killed);
      } catch (IllegalStateException e) {
        // already shutting down: the hook found the run ended
      }
    }
  }
}
