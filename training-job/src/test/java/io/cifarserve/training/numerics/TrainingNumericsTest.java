package io.cifarserve.training.numerics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import io.cifarserve.training.model.ConvolutionLayer;
import io.cifarserve.training.model.ResNet18;
import io.cifarserve.training.model.Stem;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrainingNumericsTest {

  private NDManager manager;
  private KernelSwitch oneDnn;
  private boolean oneDnnBefore;
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  private static final ResNet18 NET =
      new ResNet18(new ResNet18.Architecture(Stem.CIFAR_STRIDE2, 4, 10));

  /** The shapes a width-4 test network trains on, as the loop asks for them. */
  private static List<KernelCase> cases() {
    return TrainingNumerics.cases(NET, 32, List.of(25, 7), List.of(50));
  }

  @BeforeEach
  void setUp() {
    manager = NDManager.newBaseManager();
    oneDnn = OneDnn.ofLoadedEngine();
    oneDnnBefore = oneDnn.enabled();
  }

  @AfterEach
  void restore() {
    if (oneDnn.available()) {
      oneDnn.setEnabled(oneDnnBefore);
    }
    manager.close();
  }

  /**
   * Right results on any CPU, computed in double precision, except that while {@code faulty} holds,
   * single-precision input gradients come back 30% too large and one weight gradient NaN: what
   * oneDNN did on an AVX-512 AMD EPYC. (The engine's own single-precision kernels may be the faulty
   * ones on the CPU the test runs on.)
   */
  private static ConvolutionKernel simulatedFault(BooleanSupplier faulty) {
    return (input, weight, outputGradient, kernelCase) -> {
      if (input.getDataType() != DataType.FLOAT32) {
        return ConvolutionKernel.ENGINE.run(input, weight, outputGradient, kernelCase);
      }
      ConvolutionKernel.Result precise =
          ConvolutionKernel.ENGINE.run(
              input.toType(DataType.FLOAT64, true),
              weight.toType(DataType.FLOAT64, true),
              outputGradient.toType(DataType.FLOAT64, true),
              kernelCase);
      ConvolutionKernel.Result right =
          new ConvolutionKernel.Result(
              single(precise.output()),
              single(precise.inputGradient()),
              single(precise.weightGradient()));
      if (!faulty.getAsBoolean()) {
        return right;
      }
      NDArray inputGradient =
          right.inputGradient() == null ? null : right.inputGradient().mul(1.3f);
      NDArray weightGradient = right.weightGradient();
      if (weightGradient != null) {
        weightGradient = weightGradient.duplicate();
        weightGradient.set(new NDIndex(0, 0, 0, 0), Float.NaN);
      }
      return new ConvolutionKernel.Result(right.output(), inputGradient, weightGradient);
    };
  }

  private static NDArray single(NDArray precise) {
    return precise == null ? null : precise.toType(DataType.FLOAT32, true);
  }

  @Test
  void listsEachDistinctConvolutionOnceWithTheGradientsTrainingComputes() {
    List<ConvolutionLayer> layers = NET.convolutions(32);
    assertThat(layers).hasSize(20);
    assertThat(layers.get(layers.size() - 1).outputSize()).isEqualTo(2);
    assertThat(new ResNet18(new ResNet18.Architecture(Stem.IMAGENET, 4, 10)).convolutions(32))
        .last()
        .satisfies(last -> assertThat(last.outputSize()).isEqualTo(1));

    List<KernelCase> cases = cases();
    // Per training batch size: stem, then 3 + 3 + 3 shapes in stages 2-4 and 1 in stage 1.
    assertThat(cases.stream().filter(c -> c.backward() && c.batch() == 25)).hasSize(11);
    assertThat(cases.stream().filter(c -> !c.backward())).hasSize(11);
    // The pictures need no gradient, so the stem's input gradient is never computed.
    assertThat(cases)
        .filteredOn(KernelCase::backward)
        .allSatisfy(
            c -> assertThat(c.needsInputGradient()).isEqualTo(!c.layer().name().equals("conv1")));
  }

  @Test
  void theKernelsInUseAfterTheCheckMatchDoublePrecisionOnAnyCpu() {
    NumericsReport report = TrainingNumerics.ensure(cases(), manager, new PrintStream(log, true));

    assertThat(report.cases()).isEqualTo(cases().size());
    assertThat(report.worstRelativeError()).isLessThanOrEqualTo(KernelCheck.TOLERANCE);
    assertThat(report.kernels()).isIn("oneDNN", "PyTorch native (oneDNN off)");
    assertThat(report.kernels().equals("oneDNN")).isEqualTo(oneDnn.enabled());
    // Either the engine's kernels passed, or oneDNN failed on this CPU and the others passed.
    assertThat(log.toString()).containsAnyOf("match double precision", "kernels pass all");
  }

  @Test
  void aWrongSinglePrecisionKernelIsCaughtAndNamed() {
    KernelCheck.Result result = KernelCheck.run(cases(), manager, simulatedFault(() -> true));

    assertThat(result.passed()).isFalse();
    KernelCheck.Finding fault = result.firstFault().orElseThrow();
    assertThat(fault.kernelCase().layer().name()).isEqualTo("conv1");
    assertThat(fault.quantity()).isEqualTo("weight gradient");
    assertThat(fault.relativeError()).isNaN();
    assertThat(result.findings())
        .filteredOn(f -> f.quantity().equals("input gradient"))
        .allSatisfy(f -> assertThat(f.relativeError()).isBetween(0.29, 0.31));
    assertThat(result.findings())
        .filteredOn(f -> f.quantity().equals("output"))
        .allSatisfy(f -> assertThat(f.faulty()).isFalse());
  }

  @Test
  void aFaultOfOneDnnSwitchesItOffAndTheOtherKernelsAreCheckedInTurn() {
    assertThat(oneDnn.available()).isTrue();
    oneDnn.setEnabled(true);

    NumericsReport report =
        TrainingNumerics.check(
            cases(), manager, new PrintStream(log, true), simulatedFault(oneDnn::enabled), oneDnn);

    assertThat(oneDnn.enabled()).isFalse();
    assertThat(report.kernels()).isEqualTo("PyTorch native (oneDNN off)");
    assertThat(report.faultFound()).contains("conv1").contains("weight gradient");
    assertThat(report.worstRelativeError()).isLessThanOrEqualTo(KernelCheck.TOLERANCE);
    assertThat(log.toString())
        .contains("oneDNN computes wrong results on this CPU")
        .contains("switched oneDNN off");
  }

  @Test
  void refusesToTrainWhenNoKernelIsRight() {
    oneDnn.setEnabled(true);

    assertThatThrownBy(
            () ->
                TrainingNumerics.check(
                    cases(),
                    manager,
                    new PrintStream(log, true),
                    simulatedFault(() -> true),
                    oneDnn))
        .isInstanceOf(NumericsException.class)
        .hasMessageContaining("with oneDNN")
        .hasMessageContaining("and without it")
        .hasMessageContaining("refusing to train");
  }
}
