package io.cifarserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainingJobHelpTest {

  private static String run(String... args) {
    CommandLine cli = TrainingJob.commandLine();
    StringWriter text = new StringWriter();
    cli.setOut(new PrintWriter(text));
    cli.setErr(new PrintWriter(text));
    cli.execute(args);
    return text.toString();
  }

  @Test
  void listsEverySubcommand() {
    assertThat(run("--help"))
        .contains("train", "evaluate", "export", "calibrate", "quantize", "benchmark");
  }

  @Test
  void documentsEveryTrainingOption() {
    assertThat(run("train", "--help"))
        .contains(
            "--data-dir",
            "--download",
            "--stem",
            "--epochs",
            "--batch-size",
            "--lr",
            "--seed",
            "--pretrained",
            "--pretrained-url",
            "--resume",
            "--publish-to",
            "--force",
            "--label-smoothing",
            "--schedule");
  }

  @Test
  void explainsAnUnknownStem() {
    assertThat(run("train", "--run-dir", "x", "--stem", "tiny")).contains("unknown stem 'tiny'");
  }
}
