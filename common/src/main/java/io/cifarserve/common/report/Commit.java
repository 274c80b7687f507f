package io.cifarserve.common.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The commit measured, read from git; "with local changes" when the work tree differs from it. */
public final class Commit {

  private Commit() {}

  public static String describe() {
    String head = git("rev-parse", "--short=12", "HEAD");
    if (head.isEmpty()) {
      return "unknown (not a git work tree)";
    }
    return git("status", "--porcelain", "--untracked-files=no").isEmpty()
        ? head
        : head + " with local changes";
  }

  private static String git(String... arguments) {
    String[] command = new String[arguments.length + 1];
    command[0] = "git";
    System.arraycopy(arguments, 0, command, 1, arguments.length);
    try {
      Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean done = git.waitFor(10, TimeUnit.SECONDS);
      return done && git.exitValue() == 0 ? output.strip() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
