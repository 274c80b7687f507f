package io.cifarserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkCommandTest {

  @TempDir Path reports;

  /** Each run once left an ~86 MB checkpoint folder behind in the temp folder. */
  @Test
  void writesADatedReportAndLeavesNothingInTheTempFolder() throws IOException {
    Path temp = Path.of(System.getProperty("java.io.tmpdir"));
    Set<Path> before = scratchFolders(temp);

    int exit =
        TrainingJob.commandLine()
            .execute(
                "benchmark",
                "--stems",
                "cifar-stride2,imagenet",
                "--width",
                "8",
                "--batch-size",
                "8",
                "--batches",
                "1",
                "--warmup-batches",
                "1",
                "--reports",
                reports.toString());

    assertThat(exit).isZero();
    assertThat(scratchFolders(temp)).isEqualTo(before);
    Path report = reports.resolve(LocalDate.now() + "-training-throughput.md");
    assertThat(Files.readString(report))
        .startsWith("# Training throughput per stem")
        .contains("- **Command:** `training-job benchmark --stems cifar-stride2,imagenet")
        .containsPattern("\\| cifar-stride2 \\| [^|]+ \\| [0-9.]+ \\| 1\\.00 \\|")
        .containsPattern("\\| imagenet \\| [^|]+ \\| [0-9.]+ \\| [0-9.]+ \\|");
  }

  private static Set<Path> scratchFolders(Path temp) throws IOException {
    try (Stream<Path> entries = Files.list(temp)) {
      return entries
          .filter(p -> p.getFileName().toString().startsWith("cifar-benchmark"))
          .collect(Collectors.toSet());
    }
  }
}
