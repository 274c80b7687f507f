package io.cifarserve.training;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The training job's package arrows point one way: the commands on top, then what turns a trained
 * network into a served model (export, quantize), then calibration, evaluation, the training loop,
 * the numerics check, and the network and its data at the bottom. Only the commands speak picocli,
 * and what calibrates, evaluates or quantizes an exported model runs it as the service does, with
 * ONNX Runtime rather than DJL.
 */
@AnalyzeClasses(
    packages = "io.cifarserve.training",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Commands")
          .definedBy("io.cifarserve.training")
          .layer("Tracking")
          .definedBy("..training.tracking..", "..training.sweep..")
          .layer("Publishing")
          .definedBy("..training.export..", "..training.quantize..")
          .layer("Calibration")
          .definedBy("..training.calibrate..")
          .layer("Evaluation")
          .definedBy("..training.evaluate..")
          .layer("Training")
          .definedBy("..training.train..")
          .layer("Numerics")
          .definedBy("..training.numerics..")
          .layer("Foundation")
          .definedBy("..training.model..", "..training.data..")
          .whereLayer("Commands")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Tracking")
          .mayOnlyBeAccessedByLayers("Commands", "Tracking")
          .whereLayer("Publishing")
          .mayOnlyBeAccessedByLayers("Commands", "Publishing")
          .whereLayer("Calibration")
          .mayOnlyBeAccessedByLayers("Commands", "Publishing")
          .whereLayer("Evaluation")
          .mayOnlyBeAccessedByLayers("Commands", "Publishing", "Calibration")
          .whereLayer("Training")
          .mayOnlyBeAccessedByLayers("Commands", "Publishing", "Evaluation", "Tracking");

  @ArchTest
  static final ArchRule noCycles =
      slices().matching("io.cifarserve.training.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyTheCommandsSpeakPicocli =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.cifarserve.training")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("picocli..");

  @ArchTest
  static final ArchRule exportedModelsRunOnOnnxRuntime =
      noClasses()
          .that()
          .resideInAnyPackage(
              "..training.calibrate..", "..training.evaluate..", "..training.quantize..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("ai.djl..");
}
