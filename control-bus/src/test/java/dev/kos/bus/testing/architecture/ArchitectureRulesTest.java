package dev.kos.bus.testing.architecture;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules refuse to pass over nothing: an import that found no classes is a broken check, not a clean module. */
class ArchitectureRulesTest {

  @Test
  void anEmptyImportFails() {
    assertThatThrownBy(() -> ArchitectureRules.check(new ClassFileImporter().importClasses(List.of())))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void theCycleRuleFailsOverNoClassesByItself() {
    // ArchUnit's default allowEmptyShould(false): a rule that checked no classes fails rather than passing.
    assertThatThrownBy(
        () -> ArchitectureRules.noPackageCycles().evaluate(new ClassFileImporter().importClasses(List.of())))
        .isInstanceOf(AssertionError.class).hasMessageContaining("failed to check any classes");
  }
}
