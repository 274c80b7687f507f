package io.cifarserve.common.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatedReportTest {

  @TempDir Path dir;

  @Test
  void aReportOpensWithTheMachineTheCommitAndTheCommand() {
    String text =
        new DatedReport("Load", "java -jar benchmarks.jar --only http")
            .add(new Table("clients", "requests/s").row(1, 49).row(8, 118).markdown())
            .render(
                LocalDate.of(2026, 12, 6),
                new Machine("AMD EPYC", 2, 24_000, "OpenJDK 17"),
                "651fe50c1e25");

    assertThat(text)
        .startsWith("# Load\n")
        .contains("- **Date:** 2026-12-06")
        .contains("- **Machine:** AMD EPYC, 2 cores, 24,000 MB memory, OpenJDK 17")
        .contains("- **Commit:** 651fe50c1e25")
        .contains("- **Command:** `java -jar benchmarks.jar --only http`")
        .contains("| clients | requests/s |\n|---|---:|\n| 1 | 49 |\n| 8 | 118 |");
  }

  @Test
  void aReportIsWrittenUnderTodaysDate() throws Exception {
    Path file =
        new DatedReport("Soak", "cmd")
            .add("text")
            .write(dir, "reload-soak", Machine.current(), "c");

    assertThat(file.getFileName().toString()).isEqualTo(LocalDate.now() + "-reload-soak.md");
    assertThat(Files.readString(file)).contains("text");
  }

  @Test
  void aRowMustFillTheTable() {
    assertThatThrownBy(() -> new Table("a", "b").row(1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
