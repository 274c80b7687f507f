package io.cifarserve.training.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.cifarserve.training.model.ConvolutionLayer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Runs each convolution case in single precision and in double precision on the same numbers and
 * compares them. Double precision takes the engine's reference kernels (oneDNN has none), so a
 * single-precision kernel that computes the wrong thing shows as a large relative error, while
 * rounding alone stays far below {@link #TOLERANCE}.
 */
public final class KernelCheck {

  /**
   * Largest accepted {@code max|float - double| / max|double|}. Correct kernels measured up to 5e-6
   * at ResNet-18's shapes; the faults seen were 0.1 or more, or not finite.
   */
  public static final double TOLERANCE = 1e-3;

  /**
   * Single-precision runs per case, each against the same double-precision reference, each on
   * memory poisoned with NaN first (see {@link #poisonFreedMemory}). The first {@link
   * #SINGLE_THREAD_ROUNDS} run on one thread, where the faults showed most often. Without the
   * poison, 3 rounds (1 on one thread) let a faulty AVX2 kernel through in 2 of 8 runs of the
   * training tests here, and training then stopped on NaN.
   */
  static final int ROUNDS = 4;

  static final int SINGLE_THREAD_ROUNDS = 2;

  /** How far one quantity of one case is from the reference. */
  public record Finding(KernelCase kernelCase, String quantity, double relativeError) {

    public boolean faulty() {
      return !(relativeError <= TOLERANCE);
    }

    public String describe() {
      return "%s, %s: relative error %.1e"
          .formatted(kernelCase.describe(), quantity, relativeError);
    }
  }

  /** Every case's findings. */
  public record Result(List<Finding> findings, double seconds) {

    public boolean passed() {
      return findings.stream().noneMatch(Finding::faulty);
    }

    /** The largest error; a non-finite one counts as the largest. */
    public Finding worst() {
      return findings.stream()
          .max(
              Comparator.comparingDouble(
                  f ->
                      Double.isNaN(f.relativeError())
                          ? Double.POSITIVE_INFINITY
                          : f.relativeError()))
          .orElseThrow();
    }

    public Optional<Finding> firstFault() {
      return findings.stream().filter(Finding::faulty).findFirst();
    }

    public int cases() {
      return (int) findings.stream().map(Finding::kernelCase).distinct().count();
    }
  }

  private KernelCheck() {}

  public static Result run(List<KernelCase> cases, NDManager manager, ConvolutionKernel kernel) {
    if (cases.isEmpty()) {
      throw new IllegalArgumentException("no convolution cases to check");
    }
    long started = System.nanoTime();
    List<Finding> findings = new ArrayList<>();
    Random random = new Random(20261125);
    for (KernelCase c : cases) {
      try (NDManager scope = manager.newSubManager()) {
        findings.addAll(check(c, scope, kernel, random));
      }
    }
    return new Result(findings, (System.nanoTime() - started) / 1e9);
  }

  private static List<Finding> check(
      KernelCase c, NDManager manager, ConvolutionKernel kernel, Random random) {
    ConvolutionLayer layer = c.layer();
    int side = layer.inputSize();
    int out = layer.outputSize();
    Shape inputShape = new Shape(c.batch(), layer.inChannels(), side, side);
    Shape weightShape =
        new Shape(layer.outChannels(), layer.inChannels(), layer.kernel(), layer.kernel());
    Shape outputShape = new Shape(c.batch(), layer.outChannels(), out, out);
    // He-scaled weights keep outputs of the inputs' size, as in the network.
    double weightScale = Math.sqrt(2.0 / (layer.inChannels() * layer.kernel() * layer.kernel()));
    float[] input = gaussian(inputShape, 1, random);
    float[] weight = gaussian(weightShape, weightScale, random);
    float[] outputGradient = gaussian(outputShape, 1, random);

    ConvolutionKernel.Result reference =
        kernel.run(
            asDouble(manager, input, inputShape),
            asDouble(manager, weight, weightShape),
            asDouble(manager, outputGradient, outputShape),
            c);
    double outputError = 0;
    double inputGradientError = 0;
    double weightGradientError = 0;
    // The faults seen come and go with what memory held before and with the thread count: one
    // good round proves little. They showed most often on one thread, so most rounds run so.
    int threads = JniUtils.getNumThreads();
    try {
      for (int round = 0; round < ROUNDS; round++) {
        JniUtils.setNumThreads(round < SINGLE_THREAD_ROUNDS ? 1 : threads);
        poisonFreedMemory(manager, inputShape, weightShape, outputShape);
        try (NDManager scope = manager.newSubManager()) {
          ConvolutionKernel.Result single =
              kernel.run(
                  scope.create(input, inputShape),
                  scope.create(weight, weightShape),
                  scope.create(outputGradient, outputShape),
                  c);
          outputError = worse(outputError, relativeError(single.output(), reference.output()));
          if (c.needsInputGradient()) {
            inputGradientError =
                worse(
                    inputGradientError,
                    relativeError(single.inputGradient(), reference.inputGradient()));
          }
          if (c.backward()) {
            weightGradientError =
                worse(
                    weightGradientError,
                    relativeError(single.weightGradient(), reference.weightGradient()));
          }
        }
      }
    } finally {
      JniUtils.setNumThreads(threads);
    }
    List<Finding> findings = new ArrayList<>();
    findings.add(new Finding(c, "output", outputError));
    if (c.needsInputGradient()) {
      findings.add(new Finding(c, "input gradient", inputGradientError));
    }
    if (c.backward()) {
      findings.add(new Finding(c, "weight gradient", weightGradientError));
    }
    return findings;
  }

  /**
   * Leaves freed memory of the case's sizes full of NaN, for the next round's buffers to reuse. The
   * faults seen depended on what memory held before (a kernel reading memory it never wrote): on
   * fresh zeroed pages they hid, and after other work they showed. With poisoned memory such a read
   * shows as NaN whatever ran before, while a correct kernel never sees it.
   */
  private static void poisonFreedMemory(NDManager manager, Shape... shapes) {
    try (NDManager poison = manager.newSubManager()) {
      for (Shape shape : shapes) {
        for (int copy = 0; copy < 4; copy++) {
          poison.full(shape, Float.NaN, DataType.FLOAT32);
          poison.full(new Shape(shape.size() * 2), Float.NaN, DataType.FLOAT32);
        }
      }
    }
  }

  private static double worse(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
  }

  /** {@code max|a - reference| / max|reference|}; NaN when {@code a} is not finite. */
  static double relativeError(NDArray a, NDArray reference) {
    double[] x = a.toType(DataType.FLOAT64, false).toDoubleArray();
    double[] r = reference.toType(DataType.FLOAT64, false).toDoubleArray();
    double difference = 0;
    double scale = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i])) {
        return Double.NaN;
      }
      difference = Math.max(difference, Math.abs(x[i] - r[i]));
      scale = Math.max(scale, Math.abs(r[i]));
    }
    return scale == 0 ? difference : difference / scale;
  }

  private static float[] gaussian(Shape shape, double scale, Random random) {
    float[] values = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * scale);
    }
    return values;
  }

  private static NDArray asDouble(NDManager manager, float[] values, Shape shape) {
    double[] widened = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      widened[i] = values[i];
    }
    return manager.create(widened, shape);
  }
}
