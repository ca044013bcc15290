package dev.wsinfra.redis.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTests {

	private static final JavaClasses REDIS = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.wsinfra.redis");

	@Test
	void internalDoesNotDependOnTheApi() {
		noClasses().that()
			.resideInAPackage("dev.wsinfra.redis.internal..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.wsinfra.redis", "dev.wsinfra.redis.autoconfigure..")
			.check(REDIS);
	}

	@Test
	void autoConfigurationUsesOnlyThePublicApi() {
		noClasses().that()
			.resideInAPackage("dev.wsinfra.redis.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.wsinfra.redis.internal..")
			.check(REDIS);
	}

	@Test
	void managersDoNotDependOnAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("dev.wsinfra.redis")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.wsinfra.redis.autoconfigure..")
			.check(REDIS);
	}

}
