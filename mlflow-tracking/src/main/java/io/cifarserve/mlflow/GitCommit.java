package io.cifarserve.mlflow;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The commit of the code a command runs, for runs to record where they came from. */
public final class GitCommit {

  public static final String UNKNOWN = "unknown";

  private GitCommit() {}

  /**
   * $GIT_COMMIT (which container builds set, as images carry no git), else the commit of the
   * working folder's repository, else {@value #UNKNOWN}.
   */
  public static String current() {
    return of(System.getenv("GIT_COMMIT"), "git");
  }

  static String of(String fromEnvironment, String git) {
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      return fromEnvironment.strip();
    }
    try {
      Process process =
          new ProcessBuilder(git, "rev-parse", "HEAD").redirectErrorStream(true).start();
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
        return output;
      }
    } catch (IOException e) {
      // no git on this machine
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return UNKNOWN;
  }
}
