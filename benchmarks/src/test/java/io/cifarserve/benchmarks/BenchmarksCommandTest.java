package io.cifarserve.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchmarksCommandTest {

  @Test
  void suitesAreNamedAsTheDocsNameThem() {
    Benchmarks benchmarks = new Benchmarks(List.of());
    new CommandLine(benchmarks).parseArgs("--only", "http,in-process,reload-soak");

    assertThat(benchmarks.only)
        .containsExactly(
            Benchmarks.Suite.HTTP, Benchmarks.Suite.IN_PROCESS, Benchmarks.Suite.RELOAD_SOAK);
  }

  @Test
  void anUnknownSuiteIsRefusedWithTheNames() {
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new Benchmarks(List.of()));
    command.setErr(new PrintWriter(err));

    int exit = command.execute("--only", "gpu");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("'gpu'").contains("in-process");
  }
}
