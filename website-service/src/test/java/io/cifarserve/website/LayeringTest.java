package io.cifarserve.website;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The website's package arrows point one way: pages on top, the inference service's client
 * underneath. Pages do not reach into each other, and nothing decodes or preprocesses pictures.
 */
@AnalyzeClasses(
    packages = "io.cifarserve.website",
    importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  @ArchTest
  static final ArchRule layers =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Web")
          .definedBy("..website.web..")
          .layer("Pages")
          .definedBy("..website.predict..", "..website.model..")
          .layer("Backend")
          .definedBy("..website.backend..")
          .whereLayer("Web")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Pages")
          .mayOnlyBeAccessedByLayers("Web")
          .whereLayer("Backend")
          .mayOnlyBeAccessedByLayers("Pages", "Web");

  @ArchTest
  static final ArchRule pagesAreIndependent =
      slices().matching("io.cifarserve.website.(predict|model)..").should().notDependOnEachOther();

  @ArchTest
  static final ArchRule noCycles =
      slices().matching("io.cifarserve.website.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule theServiceDoesThePictureWork =
      com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.cifarserve.classifier.image..", "io.cifarserve.classifier.onnx..");
}
