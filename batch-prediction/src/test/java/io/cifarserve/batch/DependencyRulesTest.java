package io.cifarserve.batch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Batch prediction runs exported models with ONNX Runtime only: its image carries no DJL. */
class DependencyRulesTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.cifarserve.batch");

  @Test
  void usesNeitherDjlNorTheTrainingJobNorSpring() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("ai.djl..", "io.cifarserve.training..", "org.springframework..")
        .check(classes);
  }
}
