package io.cifarserve.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.cifarserve.common.Cifar10;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import io.cifarserve.training.numerics.ConvolutionKernel;
import io.cifarserve.training.numerics.KernelCheck;
import io.cifarserve.training.numerics.TrainingNumerics;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "check-numerics",
    mixinStandardHelpOptions = true,
    description = {
      "Checks that this CPU computes a network's convolutions correctly: each one, forward and",
      "backward at the given batch sizes, in single precision against double precision, with",
      "the kernels the engine loaded (oneDNN unless switched off). Lists every case; exit 0 when",
      "all pass, 3 when one does not. train runs the same check at start-up and switches oneDNN",
      "off where it fails."
    })
final class CheckNumericsCommand implements Callable<Integer> {

  @Option(
      names = "--stem",
      defaultValue = "cifar-stride2",
      converter = StemConverter.class,
      description = "Default: ${DEFAULT-VALUE}.")
  Stem stem;

  @Option(names = "--width", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
  int width;

  @Option(
      names = "--batch-sizes",
      split = ",",
      defaultValue = "128",
      description = "Training batch sizes (with backward). Default: ${DEFAULT-VALUE}.")
  List<Integer> batchSizes;

  @Option(
      names = "--evaluation-batch-sizes",
      split = ",",
      defaultValue = "250",
      description = "Forward-only batch sizes. Default: ${DEFAULT-VALUE}.")
  List<Integer> evaluationBatchSizes;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    ResNet18 net = new ResNet18(new ResNet18.Architecture(stem, width, Cifar10.LABELS.size()));
    try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
      KernelCheck.Result result =
          KernelCheck.run(
              TrainingNumerics.cases(net, Cifar10.IMAGE_SIZE, batchSizes, evaluationBatchSizes),
              manager,
              ConvolutionKernel.ENGINE);
      out.println("| convolution | quantity | relative error | verdict |");
      out.println("|---|---|---:|---|");
      result
          .findings()
          .forEach(
              f ->
                  out.printf(
                      "| %s | %s | %.1e | %s |%n",
                      f.kernelCase().describe(),
                      f.quantity(),
                      f.relativeError(),
                      f.faulty() ? "WRONG" : "ok"));
      out.printf(
          "%d cases in %.1f s; tolerance %.0e. ONEDNN_MAX_CPU_ISA=%s%n",
          result.cases(),
          result.seconds(),
          KernelCheck.TOLERANCE,
          System.getenv().getOrDefault("ONEDNN_MAX_CPU_ISA", "(unset)"));
      if (result.passed()) {
        out.println("all correct: training uses these kernels as they are");
        return 0;
      }
      out.println("wrong: " + result.firstFault().orElseThrow().describe());
      out.println(
          "train switches oneDNN off when its start-up check finds this (README: known problems)");
      return 3;
    }
  }
}
