package io.cifarserve.inference;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The service's package arrows point one way: HTTP features on top, then the model registry, then
 * the engine, with the upload limits, admission and the problem types underneath. A feature never
 * reaches into another feature or into the web layer.
 */
@AnalyzeClasses(
    packages = "io.cifarserve.inference",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Web")
          .definedBy("..inference.web..")
          .layer("Features")
          .definedBy("..inference.predict..", "..inference.oip..", "..inference.explain..")
          .layer("Models")
          .definedBy("..inference.model..")
          .layer("Engine")
          .definedBy("..inference.engine..")
          .layer("Uploads")
          .definedBy("..inference.upload..")
          .layer("Admission")
          .definedBy("..inference.admission..")
          .layer("Problems")
          .definedBy("..inference.problem..")
          .whereLayer("Web")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Features")
          .mayOnlyBeAccessedByLayers("Web")
          .whereLayer("Models")
          .mayOnlyBeAccessedByLayers("Features", "Web")
          .whereLayer("Engine")
          .mayOnlyBeAccessedByLayers("Models", "Features", "Web")
          .whereLayer("Uploads")
          .mayOnlyBeAccessedByLayers("Features", "Web")
          .whereLayer("Admission")
          .mayOnlyBeAccessedByLayers("Uploads", "Features", "Web")
          .whereLayer("Problems")
          .mayOnlyBeAccessedByLayers("Admission", "Uploads", "Engine", "Models", "Features", "Web");

  @ArchTest
  static final ArchRule featuresAreIndependent =
      slices()
          .matching("io.cifarserve.inference.(predict|oip|explain)..")
          .should()
          .notDependOnEachOther();

  @ArchTest
  static final ArchRule noCycles =
      slices().matching("io.cifarserve.inference.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyTheEngineRunsOnnxRuntime =
      noClasses()
          .that()
          .resideOutsideOfPackage("..inference.engine..")
          .and()
          .resideOutsideOfPackage("..inference.model..")
          .should()
          .dependOnClassesThat()
          .haveFullyQualifiedName("io.cifarserve.classifier.onnx.OnnxClassifier");
}
