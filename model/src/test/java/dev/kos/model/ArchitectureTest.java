package dev.kos.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The model is what every module shares, so it is as pure as a core. The shared rules live in control-bus's
 * test-jar, which the model cannot use (control-bus depends on the model), so the model's rule is written here.
 */
class ArchitectureTest {

  private static final JavaClasses MODEL = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.kos.model");

  @Test
  void usesNothingButTheJdksPlainValues() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("org.apache..", "com.fasterxml..", "java.io..",
            "java.nio.file..", "java.util.concurrent.locks..", "dev.kos.schema..", "dev.kos.bus..")
        .orShould().callMethod(java.time.Instant.class, "now")
        .orShould().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
        .because("the model holds the values every module decides over; it must not drag Kafka, Avro, files, "
            + "threads or the wall clock into the cores that use it")
        .check(MODEL);
  }
}
