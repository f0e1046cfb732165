package io.flowders;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The job's packages read one way: {@code job} (entry point, config, session) uses {@code sink},
 * which uses {@code aggregation}, which uses {@code parse}; {@code verify}, {@code sql} and the
 * bench's {@code peer} are entry points beside {@code job}. A cycle means a reader has to go back
 * and forth.
 */
class PackageStructureTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flowders");
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.flowders.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void parsingDependsOnNoOtherFlowdersPackage() {
    noClasses()
        .that()
        .resideInAPackage("io.flowders.parse..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.flowders.aggregation..",
            "io.flowders.sink..",
            "io.flowders.job..",
            "io.flowders.verify..",
            "io.flowders.sql..")
        .check(classes);
  }

  @Test
  void onlyEntryPointsUseTheJobPackage() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.flowders.parse..", "io.flowders.aggregation..", "io.flowders.sink..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.flowders.job..", "io.flowders.verify..", "io.flowders.sql..")
        .check(classes);
  }
}
