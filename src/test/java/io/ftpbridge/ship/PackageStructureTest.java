package io.ftpbridge.ship;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * Feature packages ({@code io.ftpbridge.<feature>}, whatever features exist) depend on each other
 * in one direction only, and no bean breaks a constructor cycle with {@code @Lazy}.
 */
@AnalyzeClasses(packages = "io.ftpbridge", importOptions = ImportOption.DoNotIncludeTests.class)
class PackageStructureTest {

    @ArchTest
    static final ArchRule featurePackagesAreFreeOfCycles = slices()
            .matching("io.ftpbridge.(*)..")
            .namingSlices("$1")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule supportImportsNoFeature = noClasses().that().resideInAPackage("io.ftpbridge.support..")
            .should().dependOnClassesThat(resideInAPackage("io.ftpbridge..").and(resideOutsideOfPackage("io.ftpbridge.support..")))
            .because("every feature may use support, so support may use none");

    @ArchTest
    static final ArchRule noBeanCycleIsHiddenBehindLazy = noClasses()
            .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.context.annotation.Lazy")
            .because("a @Lazy injection point hides a bean cycle; invert the dependency instead");
}
