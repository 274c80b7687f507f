package io.cifarserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** Runs documented shell blocks with bash, each in a process group of its own. */
final class Shell {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private Shell() {}

  /** What a finished block printed, and how it ended. */
  record Result(int exit, String output) {
    Result requireSuccess(String id) {
      assertThat(exit).as("%s exited with %d:%n%s", id, exit, output).isZero();
      return this;
    }
  }

  /** Runs a block to its end, killing it (and everything it started) after {@code timeout}. */
  static Result run(String script, Path directory, Duration timeout) {
    try (Background block = start(script, directory)) {
      boolean ended = block.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(ended).as("still running after %s:%n%s", timeout, script).isTrue();
      return new Result(block.process.exitValue(), block.output());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Starts a block that runs until stopped, such as a server. */
  static Background start(String script, Path directory) {
    try {
      Path log = Files.createTempFile("documented-command", ".log");
      // setsid: the block and whatever it starts form one group, stopped together.
      Process process =
          new ProcessBuilder("setsid", "bash", "-euo", "pipefail", "-c", script)
              .directory(directory.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new Background(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A running block. Closing it stops its whole process group. */
  static final class Background implements AutoCloseable {
    private final Process process;
    private final Path log;

    private Background(Process process, Path log) {
      this.process = process;
      this.log = log;
    }

    String output() {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Waits until {@code url} answers 200. */
    void awaitOk(String url, Duration timeout) {
      awaitBody(url, "", timeout);
    }

    /** Waits until {@code url} answers 200 with a body containing {@code text}; returns it. */
    String awaitBody(String url, String text, Duration timeout) {
      Instant deadline = Instant.now().plus(timeout);
      while (Instant.now().isBefore(deadline)) {
        assertThat(process.isAlive()).as("the block ended early:%n%s", output()).isTrue();
        try {
          HttpResponse<String> response =
              HTTP.send(
                  HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200 && response.body().contains(text)) {
            return response.body();
          }
        } catch (IOException e) {
          // not listening yet
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
        sleep();
      }
      throw new AssertionError(url + " did not answer within " + timeout + ":\n" + output());
    }

    @Override
    public void close() {
      signal("TERM");
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          signal("KILL");
          process.waitFor(10, TimeUnit.SECONDS);
        }
        // The group outlives bash when bash itself ended first: make sure it is gone.
        signal("KILL");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void signal(String name) {
      try {
        new ProcessBuilder("kill", "-" + name, "--", "-" + process.pid())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static void sleep() {
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
