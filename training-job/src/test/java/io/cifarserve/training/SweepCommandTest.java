package io.cifarserve.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.cifarserve.mlflow.FakeMlflowServer;
import io.cifarserve.mlflow.MlflowSettings;
import io.cifarserve.mlflow.RecordedRun;
import io.cifarserve.training.testing.SyntheticCifar;
import io.cifarserve.training.tracking.Tracking;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * A grid of three tiny configurations swept by two tasks, as a Cloud Run Job with two tasks runs
 * it: the parent run first, each task its share as child runs, then the summary.
 */
class SweepCommandTest {

  @TempDir Path work;

  private int sweep(FakeMlflowServer server, StringWriter err, String... args) {
    Tracking tracking =
        new Tracking(
            Optional.of(new MlflowSettings(server.uri(), "sweeps", null, null, null)),
            Map.of(),
            Optional.empty());
    CommandLine cli = TrainingJob.commandLine(new TrainingJob(tracking));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "sweep";
    System.arraycopy(args, 0, all, 1, args.length);
    return cli.execute(all);
  }

  @Test
  void twoTasksTrainTheirSharesAsChildRunsAndTheSummaryPicksByValidationAccuracy()
      throws Exception {
    Path data = SyntheticCifar.write(work.resolve("data"), 200);
    Path spec =
        Files.writeString(
            work.resolve("sweep.yaml"),
            """
            search: grid
            base:
              data-dir: %s
              stem: imagenet
              width: 8
              epochs: 1
              batch-size: 32
            parameters:
              lr: [0.02, 0.01, 0.005]
            """
                .formatted(data));
    Path out = work.resolve("sweep");
    StringWriter err = new StringWriter();
    try (FakeMlflowServer server = FakeMlflowServer.start()) {
      String[] common = {spec.toString(), "--out", out.toString(), "--task-count", "2"};
      assertThat(sweep(server, err, concat(common, "--task-index", "1"))).isEqualTo(1);
      assertThat(err.toString()).contains("2 tasks need one parent run").contains("--start-parent");

      assertThat(sweep(server, err, spec.toString(), "--out", out.toString(), "--start-parent"))
          .isZero();
      String parentId = Files.readString(out.resolve("parent-run-id")).trim();
      assertThat(sweep(server, err, concat(common, "--task-index", "1"))).isZero();
      assertThat(out.resolve("config-001/metrics.json")).exists();
      assertThat(out.resolve("config-000")).doesNotExist();
      assertThat(out.resolve("config-002")).doesNotExist();
      assertThat(sweep(server, err, concat(common, "--task-index", "0"))).isZero();
      assertThat(sweep(server, err, spec.toString(), "--out", out.toString(), "--summarize"))
          .isZero();

      List<RecordedRun> children =
          server.runs().stream()
              .filter(r -> parentId.equals(r.tags.get("mlflow.parentRunId")))
              .toList();
      assertThat(children)
          .extracting(r -> r.name + " " + r.status)
          .containsExactlyInAnyOrder(
              "config-000 FINISHED", "config-001 FINISHED", "config-002 FINISHED");
      assertThat(children).allSatisfy(c -> assertThat(c.metric("val_accuracy")).hasSize(1));

      JsonNode summary = Json.mapper().readTree(out.resolve("sweep-summary.json").toFile());
      double best = -1;
      String bestName = null;
      for (JsonNode row : summary.get("rows")) {
        assertThat(row.get("status").asString()).isEqualTo("done");
        if (row.get("validationAccuracy").asDouble() > best) {
          best = row.get("validationAccuracy").asDouble();
          bestName = row.get("name").asString();
        }
      }
      assertThat(summary.at("/best/name").asString()).isEqualTo(bestName);
      RecordedRun parent = server.run(parentId);
      assertThat(parent.status).isEqualTo("FINISHED");
      assertThat(parent.tags).containsEntry("best_configuration", bestName).containsKey("best.lr");
      assertThat(parent.params)
          .containsEntry("search", "grid")
          .containsEntry("search.lr", "[0.02, 0.01, 0.005]");
      assertThat(parent.metric("best_val_accuracy")).containsExactly(best);
      assertThat(server.artifactPaths(parentId)).contains("sweep-summary.json");
      assertThat(server.violations()).isEmpty();

      // A task run again (Cloud Run retries a failed task) skips what is done.
      assertThat(sweep(server, err, concat(common, "--task-index", "0"))).isZero();
      assertThat(server.runs().stream().filter(r -> r.name.startsWith("config-"))).hasSize(3);
    }
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = new String[first.length + more.length];
    System.arraycopy(first, 0, all, 0, first.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
