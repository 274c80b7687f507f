package io.cifarserve.system;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.common.testing.TestImages;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shell block in the README and docs/ says whether a test runs it; those marked {@code
 * run-by-test} run here, exactly as written, from the repository root against the jars the build
 * made (the curl examples from a folder holding the pictures they name). The documented ports 8080
 * and 8081 must be free while this runs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocumentedCommandsTest {

  private static final Duration BUILD = Duration.ofMinutes(4);
  private static final Duration START = Duration.ofSeconds(120);
  private static final Duration BENCHMARKS = Duration.ofMinutes(10);
  private static final String INFERENCE = "http://localhost:8080";
  private static final String WEBSITE = "http://localhost:8081";
  private static final Map<String, DocumentedCommands.Block> BLOCKS =
      DocumentedCommands.runByTest();

  /** The blocks this class runs; a new run-by-test block needs a test here. */
  private static final Set<String> RUN_HERE =
      Set.of(
          "run-platform",
          "run-all-tests",
          "predict-multipart-curl",
          "predict-raw-body-curl",
          "predict-batch-curl",
          "oip-infer-curl",
          "build-inference-service",
          "build-website-service",
          "build-training-job",
          "build-batch-prediction",
          "run-inference-service",
          "run-inference-service-model-path",
          "run-inference-service-model-folder",
          "run-inference-service-bounded",
          "admin-upload-model",
          "admin-upload-model-curl",
          "run-website-service",
          "unpack-dataset",
          "check-numerics-narrow",
          "predict-dir-local",
          "collect-pictures-ood-eval",
          "validate-cloud-config",
          "format-code",
          "benchmarks-quick",
          "fuzz-image-decoder");

  @TempDir static Path pictures;

  private static String text(String id) {
    return BLOCKS.get(id).text();
  }

  @Test
  @Order(1)
  void everyShellBlockSaysWhetherATestRunsIt() {
    assertThat(DocumentedCommands.unmarked())
        .as("```bash blocks without a run-by-test or not-run-by-test marker")
        .isEmpty();
  }

  @Test
  @Order(2)
  void everyBlockMarkedRunByTestIsRunHere() {
    assertThat(new TreeSet<>(BLOCKS.keySet())).isEqualTo(new TreeSet<>(RUN_HERE));
  }

  @Test
  @Order(3)
  void theTestCommandIsWhatCiRuns() throws IOException {
    List<String> ci =
        Files.readAllLines(DocumentedCommands.ROOT.resolve(".ci/run")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(ci.get(ci.size() - 1)).isEqualTo(text("run-all-tests"));
  }

  @Test
  @Order(4)
  void theBuildCommandsBuildEachModuleAndItsCommandLinesStart() {
    for (String id : List.of("build-inference-service", "build-website-service")) {
      Shell.run(text(id), DocumentedCommands.ROOT, BUILD).requireSuccess(id);
    }
    assertThat(Shell.run(text("build-training-job"), DocumentedCommands.ROOT, BUILD).output())
        .contains("Usage: training-job");
    assertThat(Shell.run(text("build-batch-prediction"), DocumentedCommands.ROOT, BUILD).output())
        .contains("Usage: batch-prediction");
  }

  @Test
  @Order(5)
  void eachWayOfStartingTheInferenceServiceServesItsModels() {
    Map<String, String> served =
        Map.of(
            "run-inference-service", "cifar10-resnet18-int8",
            "run-inference-service-bounded", "cifar10-resnet18-int8",
            "run-inference-service-model-path", "cifar10-resnet18",
            "run-inference-service-model-folder", "cifar10-resnet18-int8");
    served.forEach(
        (id, model) -> {
          try (Shell.Background service = Shell.start(text(id), DocumentedCommands.ROOT)) {
            service.awaitOk(INFERENCE + "/actuator/health/readiness", START);
            assertThat(service.awaitBody(INFERENCE + "/api/v1/models", model, START))
                .as(id)
                .contains("\"name\":\"" + model + "\"");
          }
        });
  }

  @Test
  @Order(6)
  void thePlatformRunsAndTheApiExamplesAnswer() throws IOException {
    Files.write(pictures.resolve("cat.png"), TestImages.png(64, 48, new Color(200, 150, 90)));
    Files.write(pictures.resolve("ship.jpg"), TestImages.jpeg(80, 60, new Color(40, 90, 180)));
    Files.write(pictures.resolve("a.png"), TestImages.png(32, 32, Color.RED));
    Files.write(pictures.resolve("b.jpg"), TestImages.jpeg(32, 32, Color.GREEN));
    try (Shell.Background platform = Shell.start(text("run-platform"), DocumentedCommands.ROOT)) {
      platform.awaitOk(INFERENCE + "/actuator/health/readiness", BUILD);
      platform.awaitOk(WEBSITE + "/", START);
      for (String id : List.of("predict-multipart-curl", "predict-raw-body-curl")) {
        assertThat(Shell.run(text(id), pictures, START).requireSuccess(id).output())
            .as(id)
            .contains("\"label\":")
            .contains("\"unsure\":");
      }
      assertThat(Shell.run(text("predict-batch-curl"), pictures, START).output())
          .contains("\"succeeded\":2");
      assertThat(Shell.run(text("oip-infer-curl"), pictures, START).output())
          .contains("\"outputs\":")
          .contains("\"name\":\"label\"");
    }
  }

  @Test
  @Order(7)
  void anAdminWithTheTokenUploadsAModel() {
    try (Shell.Background service =
        Shell.start(text("admin-upload-model"), DocumentedCommands.ROOT)) {
      service.awaitOk(INFERENCE + "/actuator/health/readiness", START);
      String id = "admin-upload-model-curl";
      assertThat(Shell.run(text(id), DocumentedCommands.ROOT, START).requireSuccess(id).output())
          .contains("\"name\":\"cifar10-resnet18\"");
    }
  }

  @Test
  @Order(8)
  void theWebsiteRunsAgainstTheInferenceService() {
    try (Shell.Background service =
            Shell.start(text("run-inference-service"), DocumentedCommands.ROOT);
        Shell.Background website =
            Shell.start(text("run-website-service"), DocumentedCommands.ROOT)) {
      service.awaitOk(INFERENCE + "/actuator/health/readiness", START);
      assertThat(website.awaitBody(WEBSITE + "/model", "cifar10-resnet18", START))
          .contains("Model card");
    }
  }

  @Test
  @Order(9)
  void theDataIsUnpackedCheckedAndClassifiedInBatch() {
    Path archive = DocumentedCommands.ROOT.resolve("../shared/datasets/cifar10-jpg.tar.gz");
    Assumptions.assumeTrue(
        Files.isRegularFile(archive) || System.getenv("CI") != null,
        "no ../shared/datasets beside the repository: data commands not run");
    Path root = DocumentedCommands.ROOT;
    Shell.run(text("unpack-dataset"), root, START).requireSuccess("unpack-dataset");
    assertThat(root.resolve("data/test/cat")).isDirectory();
    // Exit 0 where the CPU computes every case correctly, 3 where it finds the documented fault.
    Shell.Result numerics = Shell.run(text("check-numerics-narrow"), root, BUILD);
    assertThat(numerics.exit()).isIn(0, 3);
    assertThat(numerics.output()).contains("| convolution | quantity | relative error | verdict |");
    String predicted = Shell.run(text("predict-dir-local"), root, BUILD).output();
    assertThat(predicted).contains("10,000 files");
    assertThat(root.resolve("runs/predictions/summary.json")).isRegularFile();
  }

  @Test
  @Order(10)
  void theCloudFilesValidateOffline() {
    Path python = Path.of("/usr/lib/google-cloud-sdk/platform/bundledpythonunix/bin/python3");
    Assumptions.assumeTrue(
        Files.isExecutable(python) || System.getenv("CI") != null, "no Google Cloud SDK here");
    Shell.run(text("validate-cloud-config"), DocumentedCommands.ROOT, START)
        .requireSuccess("validate-cloud-config");
  }

  @Test
  @Order(11)
  void theEvaluationPicturesAreCollectedFromDebianPackages() {
    Assumptions.assumeTrue(
        Shell.run("convert -version", DocumentedCommands.ROOT, START)
                .output()
                .contains("ImageMagick")
            || System.getenv("CI") != null,
        "no ImageMagick here");
    Shell.run(text("collect-pictures-ood-eval"), DocumentedCommands.ROOT, BUILD)
        .requireSuccess("collect-pictures-ood-eval");
    assertThat(DocumentedCommands.ROOT.resolve("build/pictures/ood-eval/manifest.tsv"))
        .isRegularFile();
  }

  @Test
  @Order(12)
  void theFormattingCommandRuns() {
    Shell.run(text("format-code"), DocumentedCommands.ROOT, BUILD).requireSuccess("format-code");
  }

  @Test
  @Order(13)
  void theBenchmarksRunAndWriteADatedReportPerSuite() throws IOException {
    Path reports = DocumentedCommands.ROOT.resolve("benchmarks/target/reports");
    if (Files.isDirectory(reports)) {
      try (var old = Files.list(reports)) {
        for (Path file : old.toList()) {
          Files.delete(file);
        }
      }
    }
    Shell.run(text("benchmarks-quick"), DocumentedCommands.ROOT, BENCHMARKS)
        .requireSuccess("benchmarks-quick");
    String today = java.time.LocalDate.now().toString();
    for (String suite :
        List.of("in-process", "predict-dir", "http-load", "memory-bound", "reload-soak")) {
      Path report = reports.resolve(today + "-" + suite + ".md");
      assertThat(report).isRegularFile();
      assertThat(Files.readString(report)).contains("- **Commit:**").contains("|---|");
    }
  }

  @Test
  @Order(14)
  void aFuzzTargetIsFuzzedForTheTimeAsked() {
    Shell.Result fuzz = Shell.run(text("fuzz-image-decoder"), DocumentedCommands.ROOT, BUILD);
    fuzz.requireSuccess("fuzz-image-decoder");
    assertThat(fuzz.output()).contains("== image-decoder").contains("Done");
  }
}
