package dev.wsinfra.samples.architecture;

import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

class ArchitectureTests {

	private static final String[] EXAMPLES = { "chat", "notifications", "dashboard", "stocks", "game", "docs", "echo",
			"bench", "realtime", "security" };

	private final JavaClasses samples = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
		.importPackages("dev.wsinfra.samples");

	@Test
	void samplesUseOnlyThePublicApi() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAPackage("..internal..")
			.because("the samples show what users write, with the public API only")
			.check(this.samples);
	}

	@Test
	void examplesDependOnEachOtherOnlyThroughSupport() {
		for (String example : EXAMPLES) {
			noClasses().that()
				.resideInAPackage("dev.wsinfra.samples." + example + "..")
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(otherExamples(example))
				.check(this.samples);
		}
	}

	private static String[] otherExamples(String example) {
		return Stream.of(EXAMPLES)
			.filter((other) -> !other.equals(example))
			.map((other) -> "dev.wsinfra.samples." + other + "..")
			.toArray(String[]::new);
	}

}
