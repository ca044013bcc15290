package dev.wsinfra.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

class ArchitectureTests {

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.wsinfra");

	@Test
	void coreDoesNotDependOnSpringBoot() {
		noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework.boot..").check(CORE);
	}

	@Test
	void clientServerAndConfigHaveNoCycles() {
		slices().matching("dev.wsinfra.(*)..").should().beFreeOfCycles().check(CORE);
	}

	@Test
	void serverDoesNotDependOnTheClient() {
		noClasses().that()
			.resideInAPackage("dev.wsinfra.server..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.wsinfra.client..")
			.check(CORE);
	}

}
