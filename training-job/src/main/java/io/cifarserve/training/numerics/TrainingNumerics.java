package io.cifarserve.training.numerics;

import ai.djl.ndarray.NDManager;
import io.cifarserve.training.model.ConvolutionLayer;
import io.cifarserve.training.model.ResNet18;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes sure the convolutions a run computes are correct on this CPU before it trains. oneDNN's
 * kernels in the bundled PyTorch compute wrong gradients (even NaN) for some shapes on some CPUs
 * (see the README's known problems); where the check finds that, oneDNN is switched off and
 * PyTorch's own kernels, checked in turn, do the work. A process checks each set of shapes once.
 */
public final class TrainingNumerics {

  private static final Map<String, NumericsReport> CHECKED = new HashMap<>();
  private static KernelSwitch oneDnn;

  private TrainingNumerics() {}

  /**
   * The distinct convolution cases of a network: every layer at each training batch size with its
   * backward pass, and at each evaluation batch size forward only.
   */
  public static List<KernelCase> cases(
      ResNet18 net,
      int inputSize,
      Collection<Integer> trainingBatches,
      Collection<Integer> evaluationBatches) {
    Map<String, KernelCase> distinct = new LinkedHashMap<>();
    for (ConvolutionLayer layer : net.convolutions(inputSize)) {
      for (int batch : trainingBatches) {
        KernelCase c = new KernelCase(layer, batch, true);
        distinct.putIfAbsent(c.arithmetic(), c);
      }
      for (int batch : evaluationBatches) {
        KernelCase c = new KernelCase(layer, batch, false);
        distinct.putIfAbsent(c.arithmetic(), c);
      }
    }
    return new ArrayList<>(distinct.values());
  }

  /** The loaded engine's oneDNN switch. */
  public static synchronized KernelSwitch oneDnn() {
    if (oneDnn == null) {
      oneDnn = OneDnn.ofLoadedEngine();
    }
    return oneDnn;
  }

  /** Checks the cases with the engine's kernels, switching oneDNN off if it computes them wrong. */
  public static synchronized NumericsReport ensure(
      List<KernelCase> cases, NDManager manager, PrintStream out) {
    KernelSwitch oneDnn = oneDnn();
    String shapes = String.join(",", cases.stream().map(KernelCase::arithmetic).toList());
    NumericsReport known = CHECKED.get(oneDnn.enabled() + "|" + shapes);
    if (known != null) {
      return known;
    }
    NumericsReport report = check(cases, manager, out, ConvolutionKernel.ENGINE, oneDnn);
    // Keyed by the state the check left: if something turns oneDNN back on, check again.
    CHECKED.put(oneDnn.enabled() + "|" + shapes, report);
    return report;
  }

  /** Checks the cases, switching oneDNN off if it computes them wrong; never cached. */
  static NumericsReport check(
      List<KernelCase> cases,
      NDManager manager,
      PrintStream out,
      ConvolutionKernel kernel,
      KernelSwitch oneDnn) {
    String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
    KernelCheck.Result result = KernelCheck.run(cases, manager, kernel);
    NumericsReport report;
    if (result.passed()) {
      String kernels = oneDnn.enabled() ? "oneDNN" : "PyTorch native (oneDNN off)";
      report =
          new NumericsReport(
              kernels, isa, result.cases(), result.worst().relativeError(), null, result.seconds());
      out.printf(
          "numerics: %d convolution cases on %s match double precision (worst relative error"
              + " %.1e, %.1f s)%n",
          result.cases(), kernels, result.worst().relativeError(), result.seconds());
    } else if (oneDnn.enabled() && oneDnn.available()) {
      String fault = result.firstFault().orElseThrow().describe();
      out.println("numerics: oneDNN computes wrong results on this CPU: " + fault);
      oneDnn.setEnabled(false);
      KernelCheck.Result retry = KernelCheck.run(cases, manager, kernel);
      if (!retry.passed()) {
        throw new NumericsException(
            "convolutions are wrong on this CPU with oneDNN ("
                + fault
                + ") and without it ("
                + retry.firstFault().orElseThrow().describe()
                + "); refusing to train");
      }
      report =
          new NumericsReport(
              "PyTorch native (oneDNN off)",
              isa,
              retry.cases(),
              retry.worst().relativeError(),
              fault,
              result.seconds() + retry.seconds());
      out.printf(
          "numerics: switched oneDNN off; PyTorch's own kernels pass all %d cases (worst relative"
              + " error %.1e). Training is correct but slower here.%n",
          retry.cases(), retry.worst().relativeError());
    } else {
      throw new NumericsException(
          "convolutions are wrong on this CPU ("
              + result.firstFault().orElseThrow().describe()
              + ") and oneDNN cannot be switched off here; refusing to train");
    }
    return report;
  }
}
