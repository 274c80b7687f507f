package io.cifarserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Cloud Build and Cloud Run files, parsed by the gcloud SDK itself: a typo fails the build. */
class CloudConfigValidationTest {

  private static final File PYTHON =
      new File("/usr/lib/google-cloud-sdk/platform/bundledpythonunix/bin/python3");
  private static final Path CLOUDBUILD = Path.of("..", "cloudbuild");

  @BeforeAll
  static void needsTheSdk() {
    if (System.getenv("CI") != null) {
      assertThat(PYTHON).as("the Google Cloud SDK is installed on CI machines").exists();
    }
    Assumptions.assumeTrue(PYTHON.canExecute(), "Google Cloud SDK not installed");
  }

  private static Run validate(Path folder) throws Exception {
    Process process =
        new ProcessBuilder(PYTHON.getPath(), folder.resolve("validate.py").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), output);
  }

  private record Run(int exitCode, String output) {}

  @Test
  void theProjectsFilesAreValid() throws Exception {
    Run run = validate(CLOUDBUILD);

    assertThat(run.output())
        .contains("ok cloudbuild.yaml")
        .contains("ok inference-service.yaml")
        .contains("ok website-service.yaml")
        .contains("ok training-job.yaml")
        .contains("ok batch-predict.yaml")
        .contains("ok sweep.yaml");
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void aMisspeltFieldIsCaught(@TempDir Path copy) throws Exception {
    try (var files = Files.list(CLOUDBUILD)) {
      for (Path file : files.toList()) {
        Files.copy(file, copy.resolve(file.getFileName()));
      }
    }
    Path service = copy.resolve("inference-service.yaml");
    Files.writeString(
        service, Files.readString(service).replace("livenessProbe:", "livenesProbe:"));

    Run run = validate(copy);

    assertThat(run.exitCode()).isNotZero();
    assertThat(run.output()).contains("livenesProbe");
  }
}
