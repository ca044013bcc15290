package dev.wsinfra.client;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * Rules of the client's layering.
 */
class ClientArchitectureTests {

	private static final JavaClasses CORE = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.wsinfra");

	@Test
	void internalsDoNotDependOnTheClientApi() {
		noClasses().that()
			.resideInAPackage("dev.wsinfra.client.internal..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.wsinfra.client")
			.check(CORE);
	}

	@Test
	void theClientNeverAsksContainerProviderForAContainer() {
		noClasses().should()
			.dependOnClassesThat()
			.haveFullyQualifiedName("jakarta.websocket.ContainerProvider")
			.orShould()
			.dependOnClassesThat()
			.haveFullyQualifiedName("org.springframework.web.socket.client.standard.StandardWebSocketClient")
			.check(CORE);
	}

	@Test
	void theClientDoesNotDependOnTheServerSide() {
		noClasses().that()
			.resideInAPackage("dev.wsinfra.client..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.wsinfra.server..")
			.check(CORE);
	}

}
