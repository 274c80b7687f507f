package io.cifarserve.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.classifier.image.ImagePreprocessor;
import io.cifarserve.common.Cifar10;
import io.cifarserve.common.report.Commit;
import io.cifarserve.common.report.DatedReport;
import io.cifarserve.common.report.Machine;
import io.cifarserve.common.report.Table;
import io.cifarserve.training.data.LabeledImages;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.numerics.KernelSwitch;
import io.cifarserve.training.numerics.TrainingNumerics;
import io.cifarserve.training.train.Checkpoint;
import io.cifarserve.training.train.EpochMetrics;
import io.cifarserve.training.train.TrainingLoop;
import io.cifarserve.training.train.TrainingOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "benchmark",
    mixinStandardHelpOptions = true,
    description = {
      "Measures training throughput (images/s, forward + backward + SGD step) of each stem on",
      "this machine with random 32x32 images, as ratios to the first stem listed, and writes a",
      "dated report."
    })
final class BenchmarkCommand implements Callable<Integer> {

  @Option(
      names = "--stems",
      split = ",",
      defaultValue = "imagenet,cifar-stride2,cifar",
      converter = StemConverter.class,
      description = "Default: ${DEFAULT-VALUE}.")
  List<Stem> stems;

  @Option(
      names = "--reports",
      defaultValue = "docs/benchmarks",
      description =
          "Folder for the report, DATE-training-throughput.md. Default: ${DEFAULT-VALUE}.")
  Path reports;

  @Spec CommandSpec spec;

  @Option(names = "--batch-size", defaultValue = "128", description = "Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--batches",
      defaultValue = "6",
      description = "Measured batches per stem. Default: ${DEFAULT-VALUE}.")
  int batches;

  @Option(
      names = "--warmup-batches",
      defaultValue = "2",
      description = "Unmeasured batches first. Default: ${DEFAULT-VALUE}.")
  int warmupBatches;

  @Option(names = "--width", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(
      names = "--also-without-onednn",
      description = {
        "Measure each stem again with oneDNN switched off (PyTorch's own kernels), as training",
        "runs where the start-up numerics check finds oneDNN wrong."
      })
  boolean alsoWithoutOneDnn;

  @Option(
      names = "--compare-pytorch",
      description = {
        "Then run the PyTorch reference (scripts/pytorch-reference-benchmark.py with Debian's",
        "python3-torch) on the same stems, batch and batches, and print DJL / PyTorch ratios."
      })
  boolean comparePytorch;

  @Option(
      names = "--pytorch-script",
      defaultValue = "scripts/pytorch-reference-benchmark.py",
      description = "The reference script. Default: ${DEFAULT-VALUE}.")
  Path pytorchScript;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description = "The Python with torch. Default: ${DEFAULT-VALUE}.")
  String python;

  @Override
  public Integer call() throws IOException {
    List<Rate> rates = measureAll();
    DatedReport report =
        new DatedReport(
            "Training throughput per stem",
            // The arguments as given, the subcommand's name included.
            "training-job " + String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    report.add(
        ("Batch %d, forward + backward + SGD step on random 32x32 pictures, %s: %d measured"
                + " batches after %d warm-up batches per stem, one run each.")
            .formatted(batchSize, Engine.getInstance().defaultDevice(), batches, warmupBatches));
    report.add(throughput(rates).markdown());
    if (comparePytorch) {
      report.add(againstPytorch(rates).markdown());
    }
    report.write(reports, "training-throughput", Machine.current(), Commit.describe());
    return 0;
  }

  /** One stem's images/s with one choice of kernels. */
  private record Rate(String stem, String kernels, double imagesPerSecond) {}

  /** Images/s per stem and kernel choice, in the order measured. */
  private List<Rate> measureAll() throws IOException {
    List<Rate> rates = new ArrayList<>();
    Path scratch = Files.createTempDirectory("cifar-benchmark");
    KernelSwitch oneDnn = TrainingNumerics.oneDnn();
    try {
      for (Stem stem : stems) {
        double rate = measure(stem, scratch);
        // Named after the measurement: the numerics check may have switched oneDNN off.
        rates.add(new Rate(stem.toString(), kernels(oneDnn), rate));
      }
      if (alsoWithoutOneDnn) {
        oneDnn.setEnabled(false);
        for (Stem stem : stems) {
          rates.add(new Rate(stem.toString(), kernels(oneDnn), measure(stem, scratch)));
        }
      }
    } finally {
      deleteTree(scratch);
    }
    return rates;
  }

  /** Each row as a ratio to the first one measured. */
  private static Table throughput(List<Rate> rates) {
    Rate first = rates.get(0);
    Table table =
        new Table(
            "stem",
            "kernels",
            "images/s",
            "ratio to " + first.stem() + ", " + first.kernels(),
            "minutes per 45k epoch");
    for (Rate rate : rates) {
      table.row(
          rate.stem(),
          rate.kernels(),
          "%.1f".formatted(rate.imagesPerSecond()),
          "%.2f".formatted(rate.imagesPerSecond() / first.imagesPerSecond()),
          "%.1f".formatted(45_000 / rate.imagesPerSecond() / 60));
    }
    return table;
  }

  /** Runs the reference script; DJL's oneDNN figures as ratios to PyTorch's. */
  private Table againstPytorch(List<Rate> rates) throws IOException {
    List<String> command =
        List.of(
            python,
            pytorchScript.toString(),
            "--stems",
            String.join(",", stems.stream().map(Stem::cliName).toList()),
            "--batch-size",
            Integer.toString(batchSize),
            "--batches",
            Integer.toString(batches),
            "--warmup-batches",
            Integer.toString(warmupBatches),
            "--threads",
            Integer.toString(ai.djl.pytorch.jni.JniUtils.getNumThreads()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IOException("the PyTorch reference failed:\n" + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    Table table =
        new Table(
            "stem",
            "DJL images/s",
            "PyTorch",
            "DJL / PyTorch",
            "PyTorch channels-last",
            "DJL / channels-last");
    for (String line : output.split("\n")) {
      String[] cells = line.split("\\|");
      // Rows of figures only: not the header or its separator.
      if (cells.length < 4 || !cells[2].trim().matches("[0-9.]+")) {
        continue;
      }
      String stem = cells[1].trim();
      double plain = Double.parseDouble(cells[2].trim());
      double channelsLast = Double.parseDouble(cells[3].trim());
      rates.stream()
          .filter(r -> r.stem().equals(stem) && r.kernels().startsWith("oneDNN"))
          .map(Rate::imagesPerSecond)
          .findFirst()
          .ifPresent(
              djl ->
                  table.row(
                      stem,
                      "%.1f".formatted(djl),
                      "%.1f".formatted(plain),
                      "%.2f".formatted(djl / plain),
                      "%.1f".formatted(channelsLast),
                      "%.2f".formatted(djl / channelsLast)));
    }
    return table;
  }

  private static String kernels(KernelSwitch oneDnn) {
    return oneDnn.enabled()
        ? "oneDNN (ISA cap: %s)"
            .formatted(System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "none"))
        : "PyTorch native (oneDNN off)";
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private double measure(Stem stem, Path scratch) {
    Random random = new Random(1);
    try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
      ResNet18 net = new ResNet18(new ResNet18.Architecture(stem, width, Cifar10.LABELS.size()));
      net.initialize(manager, Cifar10.IMAGE_SIZE);
      // A fresh loop for the warm-up and for the measured batches: the second one times only its
      // own.
      loop(net, manager, stem, scratch)
          .run(randomImages(warmupBatches * batchSize, random), empty(), false);
      List<EpochMetrics> measured =
          loop(net, manager, stem, scratch)
              .run(randomImages(batches * batchSize, random), empty(), false);
      double rate = measured.get(0).imagesPerSecond();
      System.out.printf("%s: %.1f images/s%n", stem, rate);
      return rate;
    }
  }

  private TrainingLoop loop(ResNet18 net, NDManager manager, Stem stem, Path scratch) {
    return new TrainingLoop(
        net,
        manager,
        options(stem, 1),
        List.of(),
        new ImagePreprocessor(Cifar10.IMAGE_SIZE, Cifar10.MEAN, Cifar10.STD),
        new Checkpoint(scratch, Json.mapper()),
        new PrintStream(PrintStream.nullOutputStream()));
  }

  private TrainingOptions options(Stem stem, int epochs) {
    return new TrainingOptions(
        stem, width, epochs, batchSize, 0.05, "one-cycle", 0.9, true, 5e-4, 0.1, 0, true, 1, 0);
  }

  private static LabeledImages randomImages(int n, Random random) {
    byte[] pixels = new byte[n * LabeledImages.bytesPerImage(Cifar10.IMAGE_SIZE)];
    random.nextBytes(pixels);
    int[] labels = random.ints(n, 0, Cifar10.LABELS.size()).toArray();
    return new LabeledImages(pixels, labels, Cifar10.IMAGE_SIZE);
  }

  private static LabeledImages empty() {
    return new LabeledImages(new byte[0], new int[0], Cifar10.IMAGE_SIZE);
  }
}
